import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cpuinfoHasVirtualization, probeKvm } from './kvm-probe.ts';

describe('kvm-probe', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-kvm-unit-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads vmx/svm from cpuinfo flags only', () => {
    assert.equal(cpuinfoHasVirtualization('processor\t: 0\nflags\t\t: fpu vme de pse tsc msr vmx sse\n'), true);
    assert.equal(cpuinfoHasVirtualization('flags\t\t: fpu svm\n'), true);
    assert.equal(cpuinfoHasVirtualization('flags\t\t: fpu hypervisor sse2\nmodel name\t: vmx-like CPU\n'), false);
    assert.equal(cpuinfoHasVirtualization(''), false);
  });

  it('answers false without starting QEMU when the CPU lacks vmx/svm', async () => {
    const cpuinfo = join(dir, 'cpuinfo-plain');
    await writeFile(cpuinfo, 'flags\t\t: fpu hypervisor\n');
    const result = await probeKvm({ cpuinfoPath: cpuinfo, qemuBinary: '/nonexistent/qemu' });
    assert.deepEqual(result, { usable: false, reason: 'CPU has no vmx/svm flag' });
  });

  it('answers false when /dev/kvm is missing', async () => {
    const cpuinfo = join(dir, 'cpuinfo-vmx');
    await writeFile(cpuinfo, 'flags\t\t: fpu vmx\n');
    const result = await probeKvm({ cpuinfoPath: cpuinfo, devKvmPath: join(dir, 'no-kvm'), qemuBinary: '/nonexistent/qemu' });
    assert.equal(result.usable, false);
    assert.match(result.reason, /no-kvm is missing/);
  });

  it('answers false when QEMU cannot be run', async () => {
    const cpuinfo = join(dir, 'cpuinfo-vmx');
    const devKvm = join(dir, 'kvm');
    await writeFile(cpuinfo, 'flags\t\t: fpu vmx\n');
    await writeFile(devKvm, '');
    const result = await probeKvm({ cpuinfoPath: cpuinfo, devKvmPath: devKvm, qemuBinary: '/nonexistent/qemu', timeoutMs: 2000 });
    assert.equal(result.usable, false);
    assert.match(result.reason, /cannot run \/nonexistent\/qemu/);
  });
});
