import { copyFile, open, stat, truncate } from 'node:fs/promises';
import type { VmRunPaths } from '../../../state-dir';

/** Largest serial log kept per VM (current file; one rotated file of the same size is kept too). */
export const SERIAL_LOG_MAX_BYTES = 1024 * 1024;

/**
 * Keeps a VM's serial log bounded. QEMU appends to it (`logappend=on` opens it O_APPEND), so truncating it in place is
 * safe: QEMU's next write lands at the new end. The old content moves to `serial.log.1`. Bytes QEMU writes between the
 * copy and the truncate are lost; at a 1 MiB threshold that is a rare, tiny gap in a log, never a guest problem.
 */
export async function rotateSerialLog(paths: VmRunPaths, maxBytes = SERIAL_LOG_MAX_BYTES): Promise<boolean> {
  const st = await stat(paths.serialLog).catch(() => undefined);
  if (!st || st.size <= maxBytes) return false;
  await copyFile(paths.serialLog, paths.serialLogOld);
  await truncate(paths.serialLog, 0);
  return true;
}

/** The last `maxBytes` of the serial output (rotated file, then current file). */
export async function readSerialTail(paths: VmRunPaths, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }> {
  const current = await tail(paths.serialLog, maxBytes);
  if (current.data.length >= maxBytes) return current;
  const older = await tail(paths.serialLogOld, maxBytes - current.data.length);
  return { data: Buffer.concat([older.data, current.data]), truncated: older.truncated };
}

async function tail(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return { data: Buffer.alloc(0), truncated: false };
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const data = Buffer.alloc(length);
    const { bytesRead } = await handle.read(data, 0, length, size - length);
    return { data: data.subarray(0, bytesRead), truncated: size > maxBytes };
  } finally {
    await handle.close();
  }
}
