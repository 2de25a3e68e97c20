// A cloud-init NoCloud seed: an ISO9660 volume labelled `cidata` holding user-data, meta-data and (optionally)
// network-config, built per VM in its run directory and attached read-only as a CD-ROM (QemuVmSpec.cloudInitSeed).
import type { VmSpec } from '@novacron/api';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError } from '../lib/agent-error';

/** The protocol's cloud-init section of a VM (`VmSpec.cloudInit`). */
export type CloudInitSpec = NonNullable<VmSpec['cloudInit']>;

/** The ISO builder (override with NOVACRON_GENISOIMAGE; Debian package `genisoimage`). */
export const GENISOIMAGE_BINARY = process.env.NOVACRON_GENISOIMAGE ?? 'genisoimage';

/** File name of the seed in a VM's run directory. */
export const SEED_FILE_NAME = 'cidata.iso';

/** The protocol's cloud-init section as the seed's three files. */
export function noCloudFiles(spec: CloudInitSpec): Record<'user-data' | 'meta-data', string> & { 'network-config'?: string } {
  // meta-data is YAML; JSON strings are valid YAML scalars, so quoting them with JSON.stringify is safe for any value.
  const metaData = `instance-id: ${JSON.stringify(spec.metaData.instanceId)}\nlocal-hostname: ${JSON.stringify(spec.metaData.localHostname)}\n`;
  const files: Record<'user-data' | 'meta-data', string> & { 'network-config'?: string } = {
    // cloud-init ignores an empty user-data; an explicit empty cloud-config says "nothing to do" unambiguously.
    'user-data': spec.userData.trim() ? spec.userData : '#cloud-config\n{}\n',
    'meta-data': metaData,
  };
  if (spec.networkConfig?.trim()) files['network-config'] = spec.networkConfig;
  return files;
}

/**
 * Writes `<vmDir>/cidata.iso` from `spec` and returns its path. The files are staged in a private directory and the ISO
 * is built under a temporary name and renamed, so a VM never sees a half-written seed. Rebuilt on every call (the seed
 * is cheap, about 0.1 s, and the spec may have changed).
 */
export async function writeNoCloudSeed(vmDir: string, spec: CloudInitSpec, opts: { binary?: string } = {}): Promise<string> {
  const staging = join(vmDir, `.cidata-${randomBytes(4).toString('hex')}`);
  const target = join(vmDir, SEED_FILE_NAME);
  const tmp = `${target}.${randomBytes(4).toString('hex')}.partial`;
  const files = noCloudFiles(spec);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(staging, name), content, { mode: 0o600 });
    // Fixed file names relative to the staging dir: nothing from the spec reaches the argument list.
    await run(opts.binary ?? GENISOIMAGE_BINARY, ['-quiet', '-output', tmp, '-volid', 'cidata', '-joliet', '-rock', ...Object.keys(files)], staging);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

function run(binary: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'UNSUPPORTED' : 'IO_ERROR';
      const hint = code === 'UNSUPPORTED' ? ' (install the genisoimage package)' : '';
      reject(new AgentError(code, `cannot build the cloud-init seed: ${String(stderr).trim() || error.message}${hint}`, { cause: error }));
    });
  });
}
