import { execFile } from 'node:child_process';
import { AgentError } from '../../lib/agent-error';

/** What `qemu-img info --output=json` says about an image (the fields the agent uses). */
export interface QemuImgInfo {
  format: string;
  virtualSizeBytes: number;
  actualSizeBytes: number;
  backingFile?: string;
  /** qcow2 external data file: like a backing file, a way for an image to reach other host files. */
  dataFile?: string;
  dirty: boolean;
}

/** Where qemu-img is (override with NOVACRON_QEMU_IMG). */
export const QEMU_IMG_BINARY = process.env.NOVACRON_QEMU_IMG ?? 'qemu-img';

/** Runs qemu-img with an argument array (never a shell) and returns stdout; failures become IO_ERROR with its stderr. */
export function qemuImg(args: string[], opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(QEMU_IMG_BINARY, args, { timeout: opts.timeoutMs ?? 120_000, signal: opts.signal, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const detail = String(stderr).trim().split('\n').slice(-3).join(' ') || error.message;
      reject(new AgentError('IO_ERROR', `qemu-img ${args[0]} failed: ${detail}`, { cause: error }));
    });
  });
}

/**
 * `qemu-img info` of a file. With `format` the format is not probed: pass it for files the agent created, and omit it
 * only to identify an untrusted import (then check `backingFile`/`dataFile` before using the image).
 */
export async function qemuImgInfo(path: string, format?: string, signal?: AbortSignal): Promise<QemuImgInfo> {
  const args = ['info', '--output=json', ...(format ? ['-f', format] : []), path];
  const raw = JSON.parse(await qemuImg(args, { signal, timeoutMs: 30_000 })) as Record<string, unknown>;
  const specific = (raw['format-specific'] as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  return {
    format: String(raw.format),
    virtualSizeBytes: Number(raw['virtual-size'] ?? 0),
    actualSizeBytes: Number(raw['actual-size'] ?? 0),
    backingFile: (raw['full-backing-filename'] ?? raw['backing-filename']) as string | undefined,
    dataFile: specific['data-file'] as string | undefined,
    dirty: Boolean(raw['dirty-flag']),
  };
}

/** Creates an image; with `backing` a qcow2 overlay over it (the backing format is always given, never probed). */
export async function qemuImgCreate(
  path: string,
  format: 'qcow2' | 'raw',
  sizeBytes: number | undefined,
  backing?: { path: string; format: string },
): Promise<void> {
  const args = ['create', '-q', '-f', format];
  if (backing) args.push('-b', backing.path, '-F', backing.format);
  args.push(path);
  if (sizeBytes !== undefined) args.push(String(sizeBytes));
  await qemuImg(args);
}

/** Grows (never shrinks) an image to `sizeBytes`. */
export async function qemuImgResize(path: string, format: string, sizeBytes: number): Promise<void> {
  await qemuImg(['resize', '-q', '-f', format, path, String(sizeBytes)]);
}

/** Copies/converts an image into a new standalone file (no backing chain). */
export async function qemuImgConvert(
  from: { path: string; format: string },
  to: { path: string; format: 'qcow2' | 'raw' },
  signal?: AbortSignal,
): Promise<void> {
  await qemuImg(['convert', '-q', '-f', from.format, '-O', to.format, from.path, to.path], { signal, timeoutMs: 3_600_000 });
}
