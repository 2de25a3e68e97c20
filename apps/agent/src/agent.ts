import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { resolve } from 'node:path';
import { collectInventory, hostLoad } from './collectors/inventory';
import { coreCommandHandlers } from './commands/command-handlers';
import { registerVmExtensionCommands } from './commands/vm-extension.commands';
import type { CommandDeps } from './commands/command-deps';
import type { HypervisorDriver } from './drivers/hypervisor/driver';
import { createHypervisorDriver } from './drivers/hypervisor/registry';
import { NetworkRegistry } from './drivers/network/registry';
import { StorageRegistry } from './drivers/storage/registry';
import { ImageStore } from './images/image-store';
import { jsonLogger, type AgentLogger } from './lib/logger';
import { AgentLink } from './link/agent-link';
import { CommandDispatcher } from './link/command-dispatcher';
import { ConsoleStreams } from './link/console-streams';
import { CredentialStore } from './link/credential-store';
import { Reconciler } from './reconciler/reconciler';
import { FileVmRecordStore } from './reconciler/vm-record';
import { lockStateDir } from './lib/state-lock';
import { stateDirLayout, type StateDirLayout } from './state-dir';

/** How to start a node agent. */
export interface StartAgentOptions {
  /** Control plane base URL, e.g. `http://127.0.0.1:8090` (the agent dials `ws://…/api/v1/agent/connect`). */
  serverUrl: string;
  /** Join token for the first contact; not needed once a credential is stored. */
  joinToken?: string;
  /** Where the node credential is kept (mode 0600); default `<stateDir>/node-credential`. */
  credentialFile?: string;
  /** Persistent state: images, VM run dirs (pidfiles, QMP sockets), records. */
  stateDir: string;
  logger?: AgentLogger;
  /** QEMU binary (default `qemu-system-x86_64`, or NOVACRON_QEMU). */
  qemuBinary?: string;
  /** Hostname reported in hello (default the OS hostname). */
  hostname?: string;
  /** Reconciler resync period (default 10 s). */
  resyncIntervalMs?: number;
  /** Called if the control plane later refuses this node for good (credential revoked); the agent stops talking to it. */
  onFatal?: (error: Error) => void;
}

/** A running agent. */
export interface RunningAgent {
  /** The node id the control plane gave this agent. */
  nodeId: string;
  /** The hypervisor driver (QMP access for extensions and tests). */
  driver: HypervisorDriver;
  reconciler: Reconciler;
  /** Registers extra command handlers (`dispatcher.register(kind, handler)`). */
  dispatcher: CommandDispatcher;
  /** Disconnects and detaches; VMs keep running and are re-adopted by the next agent. */
  stop(): Promise<void>;
}

/**
 * Starts a node agent: collects inventory, re-adopts VMs left running, connects to the control plane and converges on
 * its desired state. Resolves once the control plane has welcomed the node; rejects if it refuses the node (or there
 * is neither a stored credential nor a join token). Reconnects on its own after that.
 */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const log = options.logger ?? jsonLogger();
  const layout = stateDirLayout(resolve(options.stateDir));
  await mkdir(layout.root, { recursive: true, mode: 0o700 });
  await mkdir(layout.vms, { recursive: true, mode: 0o700 });
  const unlock = await lockStateDir(layout.root);
  try {
    return await run(options, log, layout, unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

// Everything after the state-dir lock is taken (the caller releases it if this throws).
async function run(options: StartAgentOptions, log: AgentLogger, layout: StateDirLayout, unlock: () => Promise<void>): Promise<RunningAgent> {
  const credentials = new CredentialStore(options.credentialFile ?? layout.credentialFile);
  if (!(await credentials.load()) && !options.joinToken) {
    throw new Error(`no node credential in ${credentials.path} and no join token (set NOVACRON_JOIN_TOKEN)`);
  }
  const { inventory, kvm } = await collectInventory({ qemuBinary: options.qemuBinary, paths: [layout.root] });
  log.info({ accel: inventory.accel, kvm: kvm.reason, qemu: inventory.qemuVersion }, 'node inventory collected');

  const images = new ImageStore(layout.images);
  await images.cleanStaging();
  const storage = new StorageRegistry();
  const networks = new NetworkRegistry();
  const driver = createHypervisorDriver('qemu', {
    vmsDir: layout.vms, images, storage, networks, accel: inventory.accel,
    qemuBinary: options.qemuBinary, qemuVersion: inventory.qemuVersion, logger: log,
  });
  let link: AgentLink | undefined;
  const send: CommandDeps['send'] = (msg) => link?.send(msg) ?? false;
  const reconciler = new Reconciler({
    driver, records: new FileVmRecordStore(layout.vms), logger: log, resyncIntervalMs: options.resyncIntervalMs,
    report: {
      status: (status) => send({ type: 'vm.status', ...status }),
      event: (vmId, event, detail = {}) => {
        log.info({ vmId, event, ...detail }, 'vm event');
        send({ type: 'vm.event', vmId, event, time: new Date().toISOString(), detail });
      },
    },
  });

  const consoles = new ConsoleStreams();
  const dispatcher = new CommandDispatcher(
    coreCommandHandlers({ driver, reconciler, images, storage, credentials, serverUrl: options.serverUrl, consoles, send }),
    send,
    log,
  );
  // Snapshots, hot-plug, resize and console streams (the QEMU driver's extension modules). They also open each VM's
  // serial hub when it starts or is re-adopted (serialHubOnStart), so the console ring log records from boot on: that
  // is the only place that does it (a second listener here used to race it for QEMU's single serial socket).
  const sessions = registerVmExtensionCommands(dispatcher, {
    driver, reconciler, images, storage, consoles, send, networks, bufferedBytes: () => link?.bufferedBytes() ?? 0, logger: log,
  });
  let desiredChain = Promise.resolve();
  link = new AgentLink({
    serverUrl: options.serverUrl, joinToken: options.joinToken, credentials, hostname: options.hostname ?? os.hostname(), inventory, logger: log,
    onDesired: (msg) => {
      // Chained, so desired states are applied in the order they came even though preparing pools takes a moment.
      desiredChain = desiredChain.then(async () => {
        for (const pool of msg.pools) {
          await storage.forPool(pool).ensurePool(pool).catch((error: Error) => log.warn({ pool: pool.id, err: error.message }, 'cannot prepare pool'));
        }
        reconciler.setDesired(msg);
      });
    },
    onCommand: (msg) => dispatcher.dispatch(msg),
    onCommandCancel: (commandId) => dispatcher.cancel(commandId),
    onConsoleData: (msg) => consoles.deliver(msg),
    onFatal: options.onFatal,
    heartbeat: async () => {
      const pools = await Promise.all(reconciler.currentPools().map((pool) => storage.forPool(pool).poolStatus(pool)));
      const load = await hostLoad();
      // Statuses are read last, after every await: read earlier, they could be older than a vm.status sent meanwhile
      // and this heartbeat would set the control plane back to a state the VM has left.
      return { ...load, pools, vms: reconciler.statuses() };
    },
  });
  // After the link exists, so `adopted` events of the re-adoption are queued for the first connection.
  await reconciler.start();
  const stop = async (): Promise<void> => {
    link?.stop();
    dispatcher.abortAll();
    await reconciler.stop();
    await sessions.closeAll();
    await driver.close();
    await unlock();
  };
  try {
    const welcome = await link.start();
    return { nodeId: welcome.nodeId, driver, reconciler, dispatcher, stop };
  } catch (error) {
    link.stop();
    await reconciler.stop();
    await sessions.closeAll();
    await driver.close();
    throw error;
  }
}
