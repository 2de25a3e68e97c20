import { ApiError, type Operation, type VmSnapshotCreate } from '@novacron/api';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { StorageRepository } from '../storage/storage.repository';
import { assertNoLinkedClones, assertReady, vmFor } from './vm-access';
import { toSnapshot } from './vm-mapper';
import type { VmRepository } from './vm.repository';

/** Snapshots: the node takes them (qcow2 internal snapshots, savevm with RAM); the store lists them. */
export class VmSnapshotService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: VmRepository,
    private readonly storage: StorageRepository,
  ) {}

  async list(p: Principal, vmId: string, q: { limit: number; cursor?: string }) {
    const vm = await vmFor(this.repo, p, vmId, 'vm:read');
    return toPage(await this.repo.snapshots(vm.id, q.limit, decodeCursor(q.cursor)), q.limit, toSnapshot);
  }

  private async ready(p: Principal, vmId: string) {
    const vm = await vmFor(this.repo, p, vmId, 'vm:write');
    assertReady(vm);
    if (!this.d.hub.isOnline(vm.node_id)) throw new ApiError('NODE_UNREACHABLE', `the node of VM ${vm.name} is offline`);
    const state = (await this.repo.status(vm.id))?.state ?? 'stopped';
    return { vm, state };
  }

  async create(p: Principal, vmId: string, input: z.output<typeof VmSnapshotCreate>): Promise<Operation> {
    const { vm, state } = await this.ready(p, vmId);
    if (await this.repo.snapshotNameTaken(vm.id, input.name)) throw new ApiError('ALREADY_EXISTS', `VM ${vm.name} has a snapshot named ${input.name}`);
    const includeRam = input.includeRam && ['running', 'paused'].includes(state);
    const id = newId();
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.snapshot.create', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      const res = await this.d.hub.command(vm.node_id, 'vm.snapshot.create', { vmId: vm.id, snapshotId: id, includeRam }, { timeoutMs: 10 * 60_000, signal: ctx.signal });
      await this.repo.insertSnapshot({
        id, vm_id: vm.id, name: input.name, description: input.description, includes_ram: res.includesRam ? 1 : 0, vm_state: state, created_at: this.d.clock.now().toISOString(),
      });
      return { vmId: vm.id, snapshotId: id, includesRam: res.includesRam };
    });
  }

  async revert(p: Principal, vmId: string, snapshotId: string): Promise<Operation> {
    const { vm, state } = await this.ready(p, vmId);
    const snap = await this.repo.snapshot(vm.id, snapshotId);
    if (!snap) throw new ApiError('NOT_FOUND', `snapshot ${snapshotId} not found`);
    // Disks can only be rewound under a stopped VM; a RAM snapshot is loaded into the running QEMU.
    if (!Number(snap.includes_ram) && state !== 'stopped' && state !== 'crashed') throw new ApiError('INVALID_STATE', `stop VM ${vm.name} before reverting to the disk-only snapshot ${snap.name}`);
    if (Number(snap.includes_ram) && !['running', 'paused'].includes(state)) throw new ApiError('INVALID_STATE', `start VM ${vm.name} before reverting to the RAM snapshot ${snap.name}`);
    // Rewinding the disks of a template (or of any base of linked clones) would change them under its clones.
    await assertNoLinkedClones(vm, this.repo, this.storage, 'revert');
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.snapshot.revert', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      await this.d.hub.command(vm.node_id, 'vm.snapshot.revert', { vmId: vm.id, snapshotId: snap.id }, { timeoutMs: 10 * 60_000, signal: ctx.signal });
      return { vmId: vm.id, snapshotId: snap.id };
    });
  }

  async delete(p: Principal, vmId: string, snapshotId: string): Promise<Operation> {
    const { vm } = await this.ready(p, vmId);
    const snap = await this.repo.snapshot(vm.id, snapshotId);
    if (!snap) throw new ApiError('NOT_FOUND', `snapshot ${snapshotId} not found`);
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], { kind: 'vm.snapshot.delete', tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId }, async (ctx) => {
      await this.d.hub.command(vm.node_id, 'vm.snapshot.delete', { vmId: vm.id, snapshotId: snap.id }, { timeoutMs: 10 * 60_000, signal: ctx.signal });
      await this.repo.deleteSnapshot(snap.id);
      return { vmId: vm.id, snapshotId: snap.id };
    });
  }
}
