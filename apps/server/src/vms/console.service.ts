import { ApiError, type ConsoleTicket } from '@novacron/api';
import type { Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import { isoPlus } from '../lib/clock';
import { sha256 } from '../lib/hash';
import { newId, newSecret } from '../lib/ids';
import type { VmRow } from '../store/compute-schema';
import { assertReady, vmFor } from './vm-access';
import type { VmRepository } from './vm.repository';

/** How long a console ticket can be redeemed. */
export const CONSOLE_TICKET_TTL_SECONDS = 60;

/** Console tickets (single use, short-lived, stored hashed) and the serial log. */
export class ConsoleService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: VmRepository,
  ) {}

  /** Browsers cannot put a bearer token on a WebSocket: they get a ticket through the API and present it once in the URL. */
  async createTicket(p: Principal, vmId: string): Promise<ConsoleTicket> {
    const vm = await vmFor(this.repo, p, vmId, 'vm:console');
    assertReady(vm);
    const ticket = newSecret('ncc');
    const now = this.d.clock.now();
    const expiresAt = isoPlus(now, CONSOLE_TICKET_TTL_SECONDS);
    await this.d.store.db.insertInto('console_tickets').values({
      id: newId(), token_hash: sha256(ticket), vm_id: vm.id, user_id: p.userId, expires_at: expiresAt, used_at: null, created_at: now.toISOString(),
    }).execute();
    return { ticket, expiresAt, url: `/api/v1/vms/${vm.id}/console?type=serial&ticket=${encodeURIComponent(ticket)}` };
  }

  /** Redeems a ticket for this VM exactly once; undefined when unknown, expired, used or for another VM. */
  async redeem(vmId: string, ticket: string): Promise<VmRow | undefined> {
    const now = this.d.clock.now().toISOString();
    const res = await this.d.store.db
      .updateTable('console_tickets')
      .set({ used_at: now })
      .where('token_hash', '=', sha256(ticket))
      .where('vm_id', '=', vmId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    return this.repo.get(vmId, 'all');
  }

  /** The tail of the VM's serial output, kept by its node. */
  async serialLog(p: Principal, vmId: string, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
    const vm = await vmFor(this.repo, p, vmId, 'vm:console');
    assertReady(vm);
    if (!this.d.hub.isOnline(vm.node_id)) throw new ApiError('NODE_UNREACHABLE', `the node of VM ${vm.name} is offline`);
    const res = await this.d.hub.command(vm.node_id, 'vm.serial.read', { vmId: vm.id, maxBytes });
    return { text: Buffer.from(res.data, 'base64').toString('utf8'), truncated: res.truncated };
  }
}
