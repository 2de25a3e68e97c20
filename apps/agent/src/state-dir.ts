import { join } from 'node:path';

// Layout of the agent's state directory. Everything the agent needs to re-adopt running VMs after a restart lives here,
// so it must be on persistent storage (the embedded default uses <dataDir>/agent).

/** Paths inside the agent's state directory. */
export interface StateDirLayout {
  root: string;
  /** Default location of the node credential (mode 0600). */
  credentialFile: string;
  /** Imported images: `<images>/<imageId>/data` plus `meta.json`. */
  images: string;
  /** Per-VM run directories. */
  vms: string;
}

/** Returns the layout rooted at `root` (absolute). */
export function stateDirLayout(root: string): StateDirLayout {
  return { root, credentialFile: join(root, 'node-credential'), images: join(root, 'images'), vms: join(root, 'vms') };
}

/** Files of one VM's run directory `<stateDir>/vms/<vmId>/`. */
export interface VmRunPaths {
  dir: string;
  pidfile: string;
  qmpSocket: string;
  serialSocket: string;
  serialLog: string;
  /** The previous serial log after rotation (the log is bounded). */
  serialLogOld: string;
  vncSocket: string;
  guestAgentSocket: string;
  /** The agent's record of the VM (spec acted on, revision, why it last ended). */
  record: string;
  /** QEMU's argv as last launched (for humans debugging). */
  argv: string;
  /** The hypervisor driver's record of the last launch (spec, accel), read again when adopting. */
  launch: string;
}

/** Paths of one VM's run files. VM ids are protocol ids (`[A-Za-z0-9_-]`), so they are safe as a path segment. */
export function vmRunPaths(vmsDir: string, vmId: string): VmRunPaths {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(vmId)) throw new Error(`invalid VM id ${JSON.stringify(vmId)}`);
  const dir = join(vmsDir, vmId);
  return {
    dir,
    pidfile: join(dir, 'qemu.pid'),
    qmpSocket: join(dir, 'qmp.sock'),
    serialSocket: join(dir, 'serial.sock'),
    serialLog: join(dir, 'serial.log'),
    serialLogOld: join(dir, 'serial.log.1'),
    vncSocket: join(dir, 'vnc.sock'),
    guestAgentSocket: join(dir, 'qga.sock'),
    record: join(dir, 'record.json'),
    argv: join(dir, 'qemu-argv.json'),
    launch: join(dir, 'launch.json'),
  };
}
