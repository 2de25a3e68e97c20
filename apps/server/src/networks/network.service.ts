import { ApiError, type Network } from '@novacron/api';
import { can, scopeOf, type Principal } from '../auth/principal';
import { isUniqueViolation } from '../admin/store-errors';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { NetworkRow } from '../store/compute-schema';
import type { NetworkRepository } from './network.repository';

/** Row → wire shape. */
export function toNetwork(r: NetworkRow, nics: number): Network {
  return {
    id: r.id, name: r.name, driver: r.driver as Network['driver'], cidr: r.cidr, description: r.description,
    tenantId: r.tenant_id, nics, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Networks. The `user` driver needs nothing on the node besides the NIC options, so create and delete are immediate. */
export class NetworkService {
  constructor(
    private readonly repo: NetworkRepository,
    private readonly clock: Clock,
  ) {}

  /** Seeds the shared network `default` (user-mode NAT, 10.0.2.0/24). */
  async ensureDefault(): Promise<void> {
    if (await this.repo.get('default', 'all')) return;
    const now = this.clock.now().toISOString();
    try {
      await this.repo.insert({ id: newId(), name: 'default', driver: 'user', cidr: '10.0.2.0/24', options: '{}', description: 'User-mode NAT', tenant_id: null, created_at: now, updated_at: now });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /** A network by id or name that VMs of `tenantId` may use. */
  async forTenant(idOrName: string, tenantId: string): Promise<NetworkRow> {
    const row = await this.repo.get(idOrName, [tenantId]);
    if (!row) throw new ApiError('NOT_FOUND', `network ${idOrName} not found`);
    return row;
  }

  async list(p: Principal, q: { limit: number; cursor?: string; text?: string }) {
    const rows = await this.repo.list(scopeOf(p, 'network:read'), { limit: q.limit, after: decodeCursor(q.cursor), text: q.text });
    const counts = await this.repo.nicCounts(rows.map((r) => r.id));
    return toPage(rows, q.limit, (r) => toNetwork(r, counts.get(r.id) ?? 0));
  }

  async get(p: Principal, idOrName: string, permission: 'network:read' | 'network:write' = 'network:read'): Promise<Network> {
    const row = await this.repo.get(idOrName, scopeOf(p, permission));
    if (!row) throw new ApiError('NOT_FOUND', `network ${idOrName} not found`);
    return toNetwork(row, (await this.repo.nicCounts([row.id])).get(row.id) ?? 0);
  }

  async create(p: Principal, input: { name: string; driver: 'user'; cidr: string; description: string; tenant?: string }): Promise<Network> {
    let tenantId: string | null = null;
    if (input.tenant !== undefined) {
      if (!can(p, 'network:write', input.tenant)) throw new ApiError('NOT_FOUND', `tenant ${input.tenant} not found`);
      tenantId = input.tenant;
    } else if (!can(p, 'network:write', null)) {
      // Without a global grant the network belongs to the caller's tenant.
      if (!can(p, 'network:write', p.tenantId)) throw new ApiError('BAD_REQUEST', 'name the tenant the network belongs to');
      tenantId = p.tenantId;
    }
    const now = this.clock.now().toISOString();
    const row: NetworkRow = { id: newId(), name: input.name, driver: input.driver, cidr: input.cidr, options: '{}', description: input.description, tenant_id: tenantId, created_at: now, updated_at: now };
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a network named ${input.name} exists`);
      throw err;
    }
    return toNetwork(row, 0);
  }

  async delete(p: Principal, idOrName: string): Promise<void> {
    const net = await this.get(p, idOrName, 'network:write');
    // Shared networks are changed only by holders of the global grant.
    if (net.tenantId === null && !can(p, 'network:write', null)) throw new ApiError('FORBIDDEN', 'shared networks need network:write globally');
    if (net.nics > 0) throw new ApiError('IN_USE', `network ${net.name} has ${net.nics} NICs attached`);
    await this.repo.delete(net.id);
  }
}
