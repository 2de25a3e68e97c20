import { constants } from 'node:fs';
import { type FileHandle, open, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { AgentError } from '../lib/agent-error';
import { isErrno } from '../lib/fs-util';

/** True when `child` is `dir` itself or below it (both already resolved). */
export function isInside(dir: string, child: string): boolean {
  const rel = relative(dir, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Opens a file to import only if it really lies inside one of `importDirs`. The check is made on the file actually
 * opened (`/proc/self/fd`), after every symlink is resolved, so neither `..`, a symlink pointing out, nor a symlink
 * swapped in between check and open can reach another file. Refusals are FORBIDDEN_PATH.
 */
export async function openImportFile(requested: string, importDirs: readonly string[]): Promise<{ handle: FileHandle; path: string; sizeBytes: number }> {
  if (!isAbsolute(requested)) throw new AgentError('FORBIDDEN_PATH', `import path ${requested} must be absolute`);
  const allowed = (await Promise.all(importDirs.filter(isAbsolute).map((d) => realpath(d).catch(() => undefined)))).filter((d): d is string => !!d);
  if (allowed.length === 0) throw new AgentError('FORBIDDEN_PATH', 'import by path is disabled: no import directory exists on this node');
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO planted in an import directory must not hang the agent.
    handle = await open(requested, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new AgentError('NOT_FOUND', `${requested} does not exist on this node`);
    throw new AgentError('FORBIDDEN_PATH', `cannot open ${requested}: ${(error as Error).message}`);
  }
  try {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`);
    if (!allowed.some((dir) => isInside(dir, opened))) {
      throw new AgentError('FORBIDDEN_PATH', `${requested} is outside the allowed import directories`);
    }
    const st = await handle.stat();
    if (!st.isFile()) throw new AgentError('FORBIDDEN_PATH', `${requested} is not a regular file`);
    return { handle, path: opened, sizeBytes: st.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
