import { VmSpec } from '@novacron/api';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../../lib/logger';
import { ImageStore } from '../../../images/image-store';
import { importImage } from '../../../images/image-import';
import { readPidfile } from '../../../lib/process-util';
import { NetworkRegistry } from '../../network/registry';
import { StorageRegistry } from '../../storage/registry';
import { describeHypervisorContract } from '../testing/hypervisor-contract';
import { QemuDriver } from './qemu.driver';
import { ensureTestGuest, killIfAlive, requireQemu, waitForExit } from './testing/qemu-test-env';

// The QEMU driver against real QEMU and the tiny guest (direct kernel boot, TCG).
describeHypervisorContract('qemu (real QEMU, tiny guest)', async () => {
  requireQemu();
  const guest = await ensureTestGuest();
  const dir = await mkdtemp(join(tmpdir(), 'nc-qdrv-'));
  const images = new ImageStore(join(dir, 'images'));
  await images.cleanStaging();
  const ctx = { signal: new AbortController().signal, progress: () => {}, serverUrl: '', nodeCredential: () => undefined };
  for (const [imageId, kind, path] of [['k', 'kernel', guest.kernel], ['i', 'initrd', guest.initrd]] as const) {
    await importImage(images, { imageId, kind, source: { type: 'path', path }, importDirs: [dirname(guest.kernel)], maxBytes: 1 << 30 }, ctx);
  }
  const vmsDir = join(dir, 'vms');
  return {
    open: async () => new QemuDriver({ vmsDir, images, storage: new StorageRegistry(), networks: new NetworkRegistry(), accel: 'tcg', logger: silentLogger }),
    spec: (id) => VmSpec.parse({
      id, name: id, revision: 1, vcpus: 1, memoryMiB: 128, restartPolicy: 'no', powerState: 'running',
      boot: { kernel: 'k', initrd: 'i', cmdline: 'console=ttyS0 quiet' }, disks: [],
      networks: [{ id: 'nic0', mac: '52:54:00:c0:00:01', network: 'default', driver: 'user' }],
    }),
    kill: (pid) => process.kill(pid, 'SIGKILL'),
    guestReady: async (_driver, vmId) => {
      const deadline = Date.now() + 180_000;
      while (!/NOVACRON-GUEST-READY/.test(await readFile(join(vmsDir, vmId, 'serial.log'), 'utf8').catch(() => ''))) {
        if (Date.now() > deadline) throw new Error(`${vmId} never printed NOVACRON-GUEST-READY`);
        await sleep(50);
      }
    },
    cleanup: async () => {
      for (const vmId of await readdir(vmsDir).catch(() => [])) {
        const pid = await readPidfile(join(vmsDir, vmId, 'qemu.pid'));
        killIfAlive(pid);
        if (pid) await waitForExit(pid, 5000);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
});
