import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quit } from '../drivers/hypervisor/qemu/qmp/qmp-commands';
import { ensureTestGuest, requireQemu, waitForExit, type TestGuest } from '../drivers/hypervisor/qemu/testing/qemu-test-env';
import { TINY_GUEST_READY_TIMEOUT_MS, startTinyGuest, type TinyGuestVm } from '../drivers/hypervisor/qemu/testing/tiny-guest-vm';
import { ConsoleSessions, type ConsoleOutMessage } from './console-sessions';

requireQemu();

/** What one console stream received, decoded, with a wait for a pattern. */
class Received {
  bytes = Buffer.alloc(0);
  closed: string | undefined;
  private wake: (() => void) | undefined;

  push(message: ConsoleOutMessage): void {
    if (message.type === 'console.data') this.bytes = Buffer.concat([this.bytes, Buffer.from(message.data, 'base64')]);
    else this.closed = message.reason ?? 'closed';
    this.wake?.();
  }

  async until<T>(check: (r: Received) => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check(this);
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`${what} not received in ${timeoutMs} ms; got ${JSON.stringify(this.bytes.toString('latin1').slice(-600))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.wake = () => (clearTimeout(timer), resolve());
      });
    }
  }

  text(): string {
    return this.bytes.toString('latin1');
  }
}

describe('console streams against a real QEMU running the tiny guest', { timeout: 600_000 }, () => {
  let guest: TestGuest;
  let dir: string;
  let vm: TinyGuestVm | undefined;
  let sessions: ConsoleSessions;
  const received = new Map<string, Received>();
  const stream = (id: string) => {
    if (!received.has(id)) received.set(id, new Received());
    return received.get(id)!;
  };

  before(async () => {
    guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-console-'));
    vm = await startTinyGuest({
      guest, dir, name: 'console', serialReader: false, // the hub is the serial socket's one client
      spec: { vnc: { socketPath: join(dir, 'vnc.sock') } },
    });
    sessions = new ConsoleSessions({
      send: (message) => stream(message.streamId).push(message),
      paths: () => ({ dir, serialSocket: vm!.spec.serial.socketPath, vncSocket: join(dir, 'vnc.sock') }),
    });
    await sessions.startSerial('vm1'); // as the driver does at VM start: the ring log records the boot
  });

  after(async () => {
    await sessions?.closeAll();
    await vm?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('serial: two viewers share the port; input from one is echoed to both; the ring log keeps the output', async () => {
    await sessions.open('s1', 'vm1', 'serial');
    await stream('s1').until((r) => r.text().includes('NOVACRON-GUEST-READY'), TINY_GUEST_READY_TIMEOUT_MS, 'ready marker');
    await sessions.open('s2', 'vm1', 'serial');
    // A late viewer first gets the recent output (replay), so its terminal is not blank.
    assert.match(stream('s2').text(), /NOVACRON-GUEST-READY/);

    sessions.input('s1', Buffer.from('echo hello-$RANDOM\n').toString('base64'));
    const pattern = /\nhello-(\d+)\r?\n/;
    const n1 = await stream('s1').until((r) => r.text().match(pattern)?.[1], 30_000, 'echo output on s1');
    const n2 = await stream('s2').until((r) => r.text().match(pattern)?.[1], 30_000, 'echo output on s2');
    assert.equal(n1, n2, 'both viewers saw the same output');

    sessions.input('s2', Buffer.from(`echo typed-on-s2-$((${n1} + 1))\n`).toString('base64'));
    await stream('s1').until((r) => r.text().includes(`typed-on-s2-${Number(n1) + 1}`), 30_000, 's2 input seen on s1');

    const log = (await sessions.readSerialLog('vm1', 1024 * 1024)).data.toString('latin1');
    assert.match(log, /NOVACRON-GUEST-BOOT[\s\S]*NOVACRON-GUEST-READY[\s\S]*hello-\d+/);
    assert.equal((await sessions.readSerialLog('vm1', 64)).data.length, 64);

    sessions.close('s2');
    assert.equal(stream('s2').closed, 'closed by the control plane');
    assert.throws(() => sessions.input('s2', 'eA=='), { code: 'NOT_FOUND' });
    await assert.rejects(sessions.open('s1', 'vm1', 'serial'), { code: 'IN_USE' });
  });

  it('vnc: the relay carries the RFB handshake both ways (banner, security None, ServerInit with the VM name)', async () => {
    await sessions.open('v1', 'vm1', 'vnc');
    const v1 = stream('v1');
    const banner = await v1.until((r) => (r.bytes.length >= 12 ? r.bytes.subarray(0, 12).toString('latin1') : undefined), 10_000, 'RFB banner');
    assert.equal(banner, 'RFB 003.008\n');

    sessions.input('v1', Buffer.from('RFB 003.008\n').toString('base64'));
    const types = await v1.until((r) => (r.bytes.length > 13 && r.bytes.length >= 13 + r.bytes[12] ? [...r.bytes.subarray(13, 13 + r.bytes[12])] : undefined), 10_000, 'security types');
    assert.ok(types.includes(1), `security type None offered (${types})`);
    const afterTypes = 13 + types.length;
    sessions.input('v1', Buffer.from([1]).toString('base64'));
    await v1.until((r) => r.bytes.length >= afterTypes + 4, 10_000, 'SecurityResult');
    assert.equal(v1.bytes.readUInt32BE(afterTypes), 0, 'security handshake ok');
    sessions.input('v1', Buffer.from([1]).toString('base64')); // ClientInit: shared
    const init = afterTypes + 4;
    const name = await v1.until((r) => {
      if (r.bytes.length < init + 24) return undefined;
      const length = r.bytes.readUInt32BE(init + 20);
      return r.bytes.length >= init + 24 + length ? r.bytes.subarray(init + 24, init + 24 + length).toString('utf8') : undefined;
    }, 10_000, 'ServerInit');
    const [width, height] = [v1.bytes.readUInt16BE(init), v1.bytes.readUInt16BE(init + 2)];
    assert.ok(width >= 320 && height >= 200, `framebuffer ${width}x${height}`);
    assert.match(name, /console/);

    // A second VNC viewer at the same time gets its own connection.
    await sessions.open('v2', 'vm1', 'vnc');
    await stream('v2').until((r) => r.text().startsWith('RFB 003.008\n'), 10_000, 'second banner');
    sessions.close('v2');
  });

  it('when QEMU ends, every open stream is reported closed and new opens are refused', async () => {
    await quit(vm!.qmp);
    assert.ok(await waitForExit(vm!.pid, 15_000));
    await stream('s1').until((r) => r.closed, 10_000, 'console.closed for s1');
    await stream('v1').until((r) => r.closed, 10_000, 'console.closed for v1');
    assert.deepEqual(sessions.openStreams(), []);
    await assert.rejects(sessions.open('s3', 'vm1', 'serial'), { code: 'INVALID_STATE' });
    await assert.rejects(sessions.open('v3', 'vm1', 'vnc'), { code: 'INVALID_STATE' });
    // The ring log outlives the VM (serial-log of a stopped VM).
    assert.match((await sessions.readSerialLog('vm1', 4096)).data.toString('latin1'), /hello-\d+/);
  });
});
