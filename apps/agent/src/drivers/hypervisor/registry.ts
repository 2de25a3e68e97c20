import { AgentError } from '../../lib/agent-error';
import type { HypervisorDriver } from './driver';
import { QemuDriver, type QemuDriverOptions } from './qemu/qemu.driver';

/** What any hypervisor driver may be built from. */
export type HypervisorDriverOptions = QemuDriverOptions;

/** Hypervisor drivers by name. Adding one is a folder and a line here (and passing the driver contract suite). */
export const hypervisorDrivers: Record<string, (options: HypervisorDriverOptions) => HypervisorDriver> = {
  qemu: (options) => new QemuDriver(options),
};

/** Builds the hypervisor driver called `name`. */
export function createHypervisorDriver(name: string, options: HypervisorDriverOptions): HypervisorDriver {
  const factory = hypervisorDrivers[name];
  if (!factory) throw new AgentError('UNSUPPORTED', `no hypervisor driver ${name}`);
  return factory(options);
}
