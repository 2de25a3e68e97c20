import { ApiError, type PoolSpec, type PoolStatus, type StoragePool } from '@novacron/api';
import { join } from 'node:path';
import { can, type Principal } from '../auth/principal';
import { isUniqueViolation } from '../admin/store-errors';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { StoragePoolRow } from '../store/compute-schema';
import type { StorageRepository } from './storage.repository';

/** Row → wire shape. */
export function toPool(r: StoragePoolRow, usage: { volumes: number; bytes: number } | undefined): StoragePool {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: r.id, name: r.name, driver: 'dir', path: r.path,
    capacityBytes: n(r.capacity_bytes), availableBytes: n(r.available_bytes), allocationBytes: n(r.allocation_bytes),
    provisionedBytes: usage?.bytes ?? 0, volumes: usage?.volumes ?? 0, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** What a node needs to know of a pool. */
export function toPoolSpec(r: StoragePoolRow): PoolSpec {
  return { id: r.id, name: r.name, driver: 'dir', path: r.path };
}

/** Storage pools: global objects managed by holders of storage:write on every tenant; capacity comes from the agents. */
export class StoragePoolService {
  // Latest report per pool and node; the pool's figures are their sums.
  private readonly reports = new Map<string, Map<string, PoolStatus>>();

  constructor(
    private readonly repo: StorageRepository,
    private readonly clock: Clock,
  ) {}

  /** Seeds the pool `default` in `<dataDir>/pools/default` when there is none. */
  async ensureDefault(dataDir: string): Promise<void> {
    if (await this.repo.pool('default')) return;
    const now = this.clock.now().toISOString();
    try {
      await this.repo.insertPool({
        id: newId(), name: 'default', driver: 'dir', path: join(dataDir, 'pools', 'default'),
        capacity_bytes: null, available_bytes: null, allocation_bytes: null, created_at: now, updated_at: now,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // another replica seeded it
    }
  }

  /** A pool by id or name. */
  async resolve(idOrName: string): Promise<StoragePoolRow> {
    const row = await this.repo.pool(idOrName);
    if (!row) throw new ApiError('NOT_FOUND', `storage pool ${idOrName} not found`);
    return row;
  }

  async list(limit: number, cursor?: string) {
    const [rows, usage] = await Promise.all([this.repo.pools(limit, decodeCursor(cursor)), this.repo.poolUsage()]);
    return toPage(rows, limit, (r) => toPool(r, usage.get(r.id)));
  }

  async get(idOrName: string): Promise<StoragePool> {
    const row = await this.resolve(idOrName);
    return toPool(row, (await this.repo.poolUsage()).get(row.id));
  }

  private assertGlobal(p: Principal) {
    if (!can(p, 'storage:write', null)) throw new ApiError('FORBIDDEN', 'storage pools are shared by all tenants: this needs storage:write globally');
  }

  async create(p: Principal, input: { name: string; path: string }): Promise<StoragePool> {
    this.assertGlobal(p);
    const now = this.clock.now().toISOString();
    const row: StoragePoolRow = {
      id: newId(), name: input.name, driver: 'dir', path: input.path.replace(/\/+$/, ''),
      capacity_bytes: null, available_bytes: null, allocation_bytes: null, created_at: now, updated_at: now,
    };
    try {
      await this.repo.insertPool(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a storage pool named ${input.name} exists`);
      throw err;
    }
    return toPool(row, undefined);
  }

  async delete(p: Principal, idOrName: string): Promise<void> {
    this.assertGlobal(p);
    const pool = await this.get(idOrName);
    if (pool.volumes > 0) throw new ApiError('IN_USE', `storage pool ${pool.name} holds ${pool.volumes} volumes`);
    await this.repo.deletePool(pool.id);
  }

  /** Every pool as nodes see them. */
  async specs(): Promise<PoolSpec[]> {
    return (await this.repo.allPools()).map(toPoolSpec);
  }

  /** Records what a node reports of its pools. */
  async report(nodeId: string, statuses: PoolStatus[]): Promise<void> {
    for (const s of statuses) {
      let byNode = this.reports.get(s.poolId);
      if (!byNode) this.reports.set(s.poolId, (byNode = new Map()));
      const before = byNode.get(nodeId);
      byNode.set(nodeId, s);
      if (before && before.capacityBytes === s.capacityBytes && before.availableBytes === s.availableBytes && before.allocationBytes === s.allocationBytes) continue;
      let capacity = 0, available = 0, allocation = 0;
      for (const r of byNode.values()) {
        capacity += r.capacityBytes;
        available += r.availableBytes;
        allocation += r.allocationBytes;
      }
      await this.repo.updatePool(s.poolId, { capacity_bytes: capacity, available_bytes: available, allocation_bytes: allocation, updated_at: this.clock.now().toISOString() });
    }
  }
}
