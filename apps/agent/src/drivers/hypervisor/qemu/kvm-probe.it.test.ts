import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cpuinfoHasVirtualization, probeKvm } from './kvm-probe.ts';
import { QEMU_BINARY, requireQemu } from './testing/qemu-test-env.ts';

requireQemu();

describe('probeKvm on this host', { timeout: 30_000 }, () => {
  it('agrees with the host: usable only with vmx/svm and /dev/kvm, within the timeout', async () => {
    const started = Date.now();
    const result = await probeKvm({ qemuBinary: QEMU_BINARY, timeoutMs: 5000 });
    assert.ok(Date.now() - started < 6000);
    const hostCanKvm = cpuinfoHasVirtualization(await readFile('/proc/cpuinfo', 'utf8')) && existsSync('/dev/kvm');
    if (!hostCanKvm) assert.equal(result.usable, false, result.reason);
    assert.ok(result.reason.length > 0);
  });

  it('starts QEMU with -accel kvm past the host checks and reports its verdict', async () => {
    // Pretend the CPU checks pass so the QEMU/QMP part runs even on hosts without KVM.
    const dir = await mkdtemp(join(tmpdir(), 'nc-kvm-it-'));
    try {
      await writeFile(join(dir, 'cpuinfo'), 'flags\t\t: fpu vmx\n');
      const devKvm = existsSync('/dev/kvm') ? '/dev/kvm' : join(dir, 'kvm');
      if (devKvm !== '/dev/kvm') await writeFile(devKvm, '');
      const result = await probeKvm({ qemuBinary: QEMU_BINARY, cpuinfoPath: join(dir, 'cpuinfo'), devKvmPath: devKvm, timeoutMs: 10_000 });
      if (!existsSync('/dev/kvm')) {
        assert.equal(result.usable, false);
        assert.match(result.reason, /QEMU refused -accel kvm: .*kvm/i);
      } else {
        assert.match(result.reason, /query-kvm|refused|timed out/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
