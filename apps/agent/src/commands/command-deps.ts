import type { HypervisorDriver } from '../drivers/hypervisor/driver';
import type { StorageRegistry } from '../drivers/storage/registry';
import type { ImageStore } from '../images/image-store';
import type { AgentMessage } from '@novacron/api';
import type { ConsoleStreams } from '../link/console-streams';
import type { CredentialStore } from '../link/credential-store';
import type { Reconciler } from '../reconciler/reconciler';

/** What command handlers work with. */
export interface CommandDeps {
  driver: HypervisorDriver;
  reconciler: Reconciler;
  images: ImageStore;
  storage: StorageRegistry;
  credentials: CredentialStore;
  serverUrl: string;
  /** Open console streams (console.open registers one, console.close removes it). */
  consoles: ConsoleStreams;
  /** Sends a message to the control plane (console.data, console.closed); false while disconnected. */
  send(msg: AgentMessage): boolean;
}
