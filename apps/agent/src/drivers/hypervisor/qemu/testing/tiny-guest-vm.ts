// TEST HELPER for *.it.test.ts: starts the tiny test guest (tests/guest/) in a daemonized QEMU built by
// buildQemuArgs, with the QMP connection and (optionally) a serial reader attached, and kills it again.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { buildQemuArgs } from '../qemu-command';
import { launchDaemonized } from '../qemu-launch';
import type { QemuVmSpec } from '../qemu-vm-spec';
import { QmpClient } from '../qmp/qmp-client';
import { QEMU_BINARY, killIfAlive, readPidfile, waitForExit, type TestGuest } from './qemu-test-env';
import { SerialConsoleReader } from './serial-console-reader';

/** Boot timeout of a test guest: about 4 s idle under TCG, much more on a loaded 2-core box. */
export const TINY_GUEST_READY_TIMEOUT_MS = 180_000;

/** How to start one tiny guest. */
export interface TinyGuestOptions {
  guest: TestGuest;
  /** Directory for sockets, pidfile and logs. */
  dir: string;
  name: string;
  /** Direct kernel boot (default) or boot from `spec.disks[0]` (pass `disks` and `bootFromDisk`). */
  bootFromDisk?: boolean;
  /** Extra kernel command line (direct kernel boot). */
  cmdline?: string;
  /** Anything else of the spec (disks, nics, vnc, guestAgentSocketPath, vcpus, ...). */
  spec?: Partial<QemuVmSpec>;
  /** Attach a SerialConsoleReader (default true). QEMU serves one serial client at a time. */
  serialReader?: boolean;
}

/** A running tiny guest. */
export interface TinyGuestVm {
  pid: number;
  spec: QemuVmSpec & { serial: { socketPath: string; logPath: string } };
  qmp: QmpClient;
  serial: SerialConsoleReader | undefined;
  /** Ends QEMU (SIGKILL) and closes the connections; safe to call twice. */
  kill(): Promise<void>;
}

/** Starts a tiny guest and returns once QEMU runs (not once the guest is ready: wait for the serial marker). */
export async function startTinyGuest(o: TinyGuestOptions): Promise<TinyGuestVm> {
  const base = join(o.dir, o.name);
  const spec: TinyGuestVm['spec'] = {
    name: o.name,
    uuid: randomUUID(),
    vcpus: 1,
    memoryMiB: 128,
    accel: 'tcg',
    qmpSocketPath: `${base}-qmp.sock`,
    serial: { socketPath: `${base}-serial.sock`, logPath: `${base}-serial.log` },
    pidfile: `${base}.pid`,
    daemonize: true,
    ...(o.bootFromDisk
      ? { bootOrder: ['disk'] as const }
      : { kernel: { path: o.guest.kernel, initrdPath: o.guest.initrd, cmdline: `console=ttyS0 quiet ${o.cmdline ?? ''}`.trim() } }),
    ...o.spec,
  } as TinyGuestVm['spec'];
  await launchDaemonized(QEMU_BINARY, buildQemuArgs(spec), o.dir);
  const pid = await readPidfile(spec.pidfile as string);
  if (!pid) throw new Error(`QEMU wrote no pid to ${spec.pidfile}`);
  let qmp: QmpClient | undefined;
  let serial: SerialConsoleReader | undefined;
  const kill = async () => {
    serial?.close();
    await qmp?.close().catch(() => undefined);
    killIfAlive(pid);
    await waitForExit(pid, 10_000);
  };
  try {
    qmp = await QmpClient.connect(spec.qmpSocketPath, { connectTimeoutMs: 30_000 });
    if (o.serialReader ?? true) serial = await SerialConsoleReader.connect(spec.serial.socketPath);
  } catch (error) {
    await kill();
    throw error;
  }
  return { pid, spec, qmp, serial, kill };
}

let shellNonce = 0;

/**
 * Runs `command` in the guest's serial shell and resolves with its one-line output. The marker is split in the typed
 * line (`NC-OUT-1""7`) so the terminal's echo of what we typed never matches the marker of the output (`NC-OUT-17`).
 */
export async function guestShell(serial: SerialConsoleReader, command: string, timeoutMs = 30_000): Promise<string> {
  const id = `${++shellNonce}${Date.now().toString(36)}`;
  serial.writeLine(`echo "NC-OUT-${id.slice(0, 1)}""${id.slice(1)}:$(${command}):END"`);
  return (await serial.waitFor(new RegExp(`NC-OUT-${id}:(.*):END`), timeoutMs))[1];
}
