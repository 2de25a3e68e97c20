import type { PoolSpec, VmSpec } from '@novacron/api';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImageStore } from '../../../images/image-store';
import { silentLogger } from '../../../lib/logger';
import { NetworkRegistry } from '../../network/registry';
import { StorageRegistry } from '../../storage/registry';
import { createHypervisorDriver } from '../registry';
import { markTemplate, unmarkTemplate } from './clone';
import type { QemuDriver } from './qemu.driver';
import { requireQemu } from './testing/qemu-test-env';

// The QEMU driver refuses to open a template read-write, before any process is launched (no guest boot needed).
describe('QemuDriver.start refuses a template disk', () => {
  let dir: string;
  let driver: QemuDriver;
  let pool: PoolSpec;
  const storage = new StorageRegistry();

  before(async () => {
    requireQemu();
    dir = await mkdtemp(join(tmpdir(), 'nc-tmplguard-'));
    pool = { id: 'p1', name: 'p1', driver: 'dir', path: join(dir, 'pool') };
    await storage.forPool(pool).create(pool, { volumeId: 'base', format: 'qcow2', sizeBytes: 16 * 1024 * 1024 });
    const images = new ImageStore(join(dir, 'images'));
    driver = createHypervisorDriver('qemu', { vmsDir: join(dir, 'vms'), images, storage, networks: new NetworkRegistry(), accel: 'tcg', logger: silentLogger }) as QemuDriver;
  });
  after(async () => {
    for (const vmId of driver?.running() ?? []) await driver.stop(vmId); // only if the guard failed
    await driver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const spec = (readonly: boolean): VmSpec => ({
    id: 'tg1', name: 'tg1', revision: 1, vcpus: 1, memoryMiB: 128, machine: 'pc', restartPolicy: 'no', powerState: 'running', shutdownTimeoutSeconds: 0,
    boot: { order: ['disk', 'cdrom'] },
    disks: [{ id: 'base', source: { type: 'volume', pool: 'p1', volume: 'base' }, format: 'qcow2', media: 'disk', bus: 'virtio', readonly }],
    networks: [],
  });

  it('with INVALID_STATE, before launching anything', async () => {
    const path = storage.forPool(pool).attachment(pool, 'base', 'qcow2').path;
    await markTemplate(path);
    const events: string[] = [];
    driver.onEvent((e) => events.push(e.type));
    await assert.rejects(driver.start(spec(false), { paused: true, pools: [pool] }), { code: 'INVALID_STATE' });
    assert.deepEqual(driver.running(), []);
    assert.deepEqual(events, []);
    assert.equal((await stat(path)).mode & 0o777, 0o444, 'the template is untouched');
    await unmarkTemplate(path);
  });
});
