import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startQemuSystemEnv, type SystemEnv } from './support/system-env';

// RAM snapshot revert, disk hot-add/remove and a linked clone booting, each through the HTTP API on real QEMU and
// asserted on what the tiny guest does (its serial shell, reached through the console WebSocket). Two guest boots in
// all (the VM, then its linked clone): TCG boots are slow and the machine is shared.

/** A serial console session through `POST /console-tickets` + the console WebSocket. */
interface SerialSession {
  /** Everything received so far (latin1). */
  text(): string;
  /** Runs `command` in the guest's shell and returns its stdout (one line). */
  shell(command: string, timeoutMs?: number): Promise<string>;
  /** Waits until `pattern` appears in the output after offset `from`. */
  wait(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  close(): void;
}

async function openSerial(env: SystemEnv, vmId: string): Promise<SerialSession> {
  const ticket = await env.api<{ ticket: string; url: string }>('POST', `/api/v1/vms/${vmId}/console-tickets`);
  assert.match(ticket.url, /type=serial|ticket=/);
  const ws = new WebSocket(`${env.srv.url.replace('http', 'ws')}/api/v1/vms/${vmId}/console?type=serial&ticket=${encodeURIComponent(ticket.ticket)}`);
  const chunks: Buffer[] = [];
  ws.on('message', (d: Buffer) => chunks.push(Buffer.from(d)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('close', (code, reason) => reject(new Error(`console closed ${code} ${String(reason)}`)));
  });
  const text = () => Buffer.concat(chunks).toString('latin1');
  const wait = async (pattern: RegExp, from = 0, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = text().slice(from).match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`${pattern} not seen on the serial console; tail ${JSON.stringify(text().slice(-600))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let nonce = 0;
  return {
    text, wait, close: () => ws.close(),
    async shell(command, timeoutMs = 60_000) {
      const id = `${++nonce}x${Date.now().toString(36)}`;
      // The split marker keeps the echo of the typed line itself from matching.
      ws.send(Buffer.from(`echo "OUT-${id.slice(0, 1)}""${id.slice(1)}:$(${command}):END"\n`));
      return (await wait(new RegExp(`OUT-${id}:(.*):END`), 0, timeoutMs))[1];
    },
  };
}

/** `qemu-img info --output=json` of a file (with -U: a running QEMU may hold its lock). */
async function qemuImgInfo(path: string): Promise<Record<string, unknown>> {
  const child = spawn('qemu-img', ['info', '-U', '--output=json', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`qemu-img info ${path} exited ${code}: ${Buffer.concat(err).toString()}`);
  return JSON.parse(Buffer.concat(out).toString()) as Record<string, unknown>;
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('system: snapshots, disk hot-plug and linked clones on real QEMU through the API', { timeout: 900_000 }, () => {
  let env: SystemEnv;
  let kernelImage: string;
  let initrdImage: string;
  let vmId: string;
  let serial: SerialSession;
  const t0 = Date.now();

  before(async () => {
    env = await startQemuSystemEnv();
    ({ kernelImage, initrdImage } = await env.importGuestBoot('tiny'));
  });
  after(async () => {
    serial?.close();
    await env?.close();
  });

  const vm = (id = vmId) => env.api<Record<string, unknown> & { disks: Array<{ id: string; volumeId: string | null }>; pid: number | null; state: string }>('GET', `/api/v1/vms/${id}`);
  const serialLog = (id = vmId) => env.serialLog(id);
  const count = (text: string, marker: string) => text.split(marker).length - 1;
  const volumePath = async (volumeId: string): Promise<string> => {
    const volume = await env.api<{ poolId: string; format: string }>('GET', `/api/v1/volumes/${volumeId}`);
    const pool = await env.api<{ path: string }>('GET', `/api/v1/storage-pools/${volume.poolId}`);
    return join(pool.path, `${volumeId}.${volume.format}`);
  };

  it('boots a VM with a qcow2 data disk and reaches its serial shell through the console WebSocket', async (t) => {
    const started = Date.now();
    const op = await env.api<{ id: string; resources: string[] }>('POST', '/api/v1/vms', {
      name: 'snap-src', vcpus: 1, memoryMiB: 128, boot: { kernelImage, initrdImage, cmdline: 'console=ttyS0 quiet' },
      disks: [{ sizeGiB: 1 }], networks: [{ network: 'default' }], start: true,
    });
    vmId = op.resources[0].split('/').at(-1) as string;
    await env.waitOperation(op);
    const running = await vm();
    assert.equal(running.state, 'running');
    if (running.pid) env.pids.add(running.pid);
    serial = await openSerial(env, vmId);
    await serial.wait(/NOVACRON-GUEST-READY ip=10\.0\.2\.15/, 0, 180_000);
    assert.equal(await serial.shell('echo hi'), 'hi');
    t.diagnostic(`setup (server, agent, images) ${started - t0} ms; POST /vms → READY + shell ${Date.now() - started} ms`);
  });

  it('a RAM snapshot reverts guest memory: the guest resumes from it without booting again', async (t) => {
    const started = Date.now();
    const pid = (await vm()).pid;
    await serial.shell('echo before > /tmp/m');
    const bootId = await serial.shell('cat /proc/sys/kernel/random/boot_id');
    assert.match(bootId, /^[0-9a-f-]{36}$/);
    const op = await env.api<{ id: string; resources: string[] }>('POST', `/api/v1/vms/${vmId}/snapshots`, { name: 's1', includeRam: true });
    const snap = (await env.waitOperation(op)).result as { snapshotId: string; includesRam: boolean };
    assert.equal(snap.includesRam, true);
    const listed = await env.api<{ items: Array<{ id: string; includesRam: boolean; vmState: string }> }>('GET', `/api/v1/vms/${vmId}/snapshots`);
    assert.deepEqual(listed.items.map((s) => [s.id, s.includesRam, s.vmState]), [[snap.snapshotId, true, 'running']]);
    t.diagnostic(`snapshot with RAM: ${Date.now() - started} ms`);

    assert.equal(await serial.shell('echo after > /tmp/m; cat /tmp/m'), 'after');
    const bootsBefore = count(await serialLog(), 'NOVACRON-GUEST-BOOT');

    const reverting = Date.now();
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/snapshots/${snap.snapshotId}/revert`));
    t.diagnostic(`revert: ${Date.now() - reverting} ms`);
    assert.equal(await serial.shell('cat /tmp/m'), 'before', 'guest memory (tmpfs) is back to the snapshot');
    // Resumed, not rebooted: same kernel boot id, no new boot marker. (The guest clock is no witness: under TCG it
    // keeps following the host after a revert.)
    assert.equal(await serial.shell('cat /proc/sys/kernel/random/boot_id'), bootId);
    assert.equal(count(await serialLog(), 'NOVACRON-GUEST-BOOT'), bootsBefore, 'no new boot after the revert');
    const after = await vm();
    assert.equal(after.state, 'running');
    assert.equal(after.pid, pid, 'the same QEMU process loaded the snapshot');
    t.diagnostic(`RAM snapshot test: ${Date.now() - started} ms`);
  });

  it('a disk hot-added through the API appears in the guest and in the VM record; detaching removes it', async (t) => {
    const started = Date.now();
    const from = serial.text().length;
    assert.equal(await serial.shell('ls /sys/block | grep vd | tr "\\n" " "'), 'vda ');
    const attach = await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/disks`, { sizeGiB: 2 }));
    const { diskId } = attach.result as { diskId: string };
    await serial.wait(/NOVACRON-DISKS vda vdb\r?\n/, from, 30_000);
    t.diagnostic(`hot-add → guest sees vdb: ${Date.now() - started} ms`);
    assert.equal(await serial.shell('cat /sys/block/vdb/size'), String((2 * 1024 ** 3) / 512), 'the guest sees a 2 GiB disk');
    const withDisk = await vm();
    assert.equal(withDisk.disks.length, 2);
    const added = withDisk.disks.find((d) => d.id === diskId);
    assert.ok(added?.volumeId, 'the VM record lists the new disk, backed by a new volume');

    const detachFrom = serial.text().length;
    const detaching = Date.now();
    await env.waitOperation(await env.api<{ id: string }>('DELETE', `/api/v1/vms/${vmId}/disks/${added.id}`));
    await serial.wait(/NOVACRON-DISKS vda\r?\n/, detachFrom, 30_000);
    t.diagnostic(`detach → guest lost vdb: ${Date.now() - detaching} ms`);
    assert.equal(await serial.shell('ls /sys/block | grep vd | tr "\\n" " "'), 'vda ');
    const without = await vm();
    assert.deepEqual(without.disks.map((d) => d.id), [withDisk.disks.find((d) => d.id !== added.id)!.id]);
    const volume = await env.api<{ attachedTo: unknown }>('GET', `/api/v1/volumes/${added.volumeId}`);
    assert.equal(volume.attachedTo, null, 'the detached volume is kept, unattached');
  });

  it('a template refuses to start; its linked clone is a qcow2 overlay on it and boots with its data', async (t) => {
    const started = Date.now();
    const payload = `NOVACRON-DATA-${Date.now().toString(36)}`;
    // Raw bytes at the start of the data disk, synced, then an ACPI shutdown (the guest syncs again and powers off).
    assert.equal(await serial.shell(`echo ${payload} > /dev/vda; sync; head -c ${payload.length} /dev/vda`), payload);
    serial.close();
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/shutdown?timeout=30`));
    assert.equal((await vm()).state, 'stopped');
    t.diagnostic(`ACPI shutdown: ${Date.now() - started} ms`);

    const template = await env.api<{ isTemplate: boolean }>('PATCH', `/api/v1/vms/${vmId}`, { isTemplate: true });
    assert.equal(template.isTemplate, true);
    await assert.rejects(env.api('POST', `/api/v1/vms/${vmId}/start`), /→ 409: .*INVALID_STATE/);

    const source = await vm();
    const sourcePath = await volumePath(source.disks[0].volumeId!);
    const sourceHash = await sha256(sourcePath);
    const cloning = Date.now();
    const op = await env.api<{ id: string; resources: string[] }>('POST', `/api/v1/vms/${vmId}/clone`, { name: 'snap-clone', linked: true });
    const cloneId = String(((await env.waitOperation(op)).result as Record<string, unknown>).vmId);
    t.diagnostic(`linked clone: ${Date.now() - cloning} ms`);
    const clone = await vm(cloneId);
    assert.equal(clone.state, 'stopped');
    assert.equal(clone.disks.length, 1);
    assert.notEqual(clone.disks[0].volumeId, source.disks[0].volumeId);
    const clonePath = await volumePath(clone.disks[0].volumeId!);
    const info = await qemuImgInfo(clonePath);
    assert.equal(info.format, 'qcow2');
    assert.equal(info['full-backing-filename'] ?? info['backing-filename'], sourcePath, 'the clone is an overlay on the source volume');
    assert.equal(info['backing-filename-format'], 'qcow2');
    assert.ok(Number(info['actual-size']) < 1024 * 1024, `the overlay starts tiny (${String(info['actual-size'])} bytes)`);

    const booting = Date.now();
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${cloneId}/start`));
    const cloneVm = await vm(cloneId);
    if (cloneVm.pid) env.pids.add(cloneVm.pid);
    serial = await openSerial(env, cloneId);
    await serial.wait(/NOVACRON-GUEST-READY ip=10\.0\.2\.15/, 0, 180_000);
    t.diagnostic(`clone start → READY: ${Date.now() - booting} ms`);
    assert.equal(await serial.shell(`head -c ${payload.length} /dev/vda`), payload, 'the clone reads the source data through its backing file');
    assert.equal(await serial.shell(`echo clone-write > /dev/vda; sync; head -c 11 /dev/vda`), 'clone-write');
    assert.equal(await sha256(sourcePath), sourceHash, 'the clone wrote its overlay, never the source volume');
    t.diagnostic(`linked clone test: ${Date.now() - started} ms; whole file ${Date.now() - t0} ms`);
  });
});
