import type { PoolSpec } from '@novacron/api';
import { AgentError } from '../../lib/agent-error';
import { DirStorageDriver } from './dir/dir.driver';
import type { StorageDriver } from './driver';

/** Storage drivers by the name pools use in `PoolSpec.driver`. Adding one is a folder and a line here. */
export const storageDrivers: Record<string, () => StorageDriver> = {
  dir: () => new DirStorageDriver(),
};

/** One instance per driver name, created on first use. */
export class StorageRegistry {
  private readonly instances = new Map<string, StorageDriver>();

  constructor(private readonly factories: Record<string, () => StorageDriver> = storageDrivers) {}

  /** The driver of `pool`; UNSUPPORTED when this agent has none of that name. */
  forPool(pool: Pick<PoolSpec, 'driver' | 'id'>): StorageDriver {
    let driver = this.instances.get(pool.driver);
    if (!driver) {
      const factory = this.factories[pool.driver];
      if (!factory) throw new AgentError('UNSUPPORTED', `pool ${pool.id}: no storage driver ${pool.driver} on this node`);
      driver = factory();
      this.instances.set(pool.driver, driver);
    }
    return driver;
  }
}
