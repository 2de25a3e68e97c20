import type { CommandHandlers } from '../link/command-dispatcher';
import type { CommandDeps } from './command-deps';

/** Power actions that are not states (reboot, reset, power button), the serial log, and purge. */
export function vmCommandHandlers(d: CommandDeps): CommandHandlers {
  return {
    'vm.reboot': async ({ vmId }) => (await d.driver.reboot(vmId), {}),
    'vm.reset': async ({ vmId }) => (await d.driver.reset(vmId), {}),
    'vm.powerdown': async ({ vmId }) => (await d.driver.powerdown(vmId), {}),
    'vm.serial.read': async ({ vmId, maxBytes }) => {
      const { data, truncated } = await d.driver.readSerial(vmId, maxBytes);
      return { data: data.toString('base64'), truncated };
    },
    'vm.purge': async ({ vmId }) => (await d.reconciler.purge(vmId), {}),
  };
}
