import { AgentError } from '../../lib/agent-error';
import type { NetworkDriver } from './driver';
import { UserNetworkDriver } from './user/user.driver';

/** Network drivers by the name NICs carry in `VmNicSpec.driver`. Adding one is a folder and a line here. */
export const networkDrivers: Record<string, () => NetworkDriver> = {
  user: () => new UserNetworkDriver(),
};

/** One instance per driver name, created on first use. */
export class NetworkRegistry {
  private readonly instances = new Map<string, NetworkDriver>();

  constructor(private readonly factories: Record<string, () => NetworkDriver> = networkDrivers) {}

  /** The driver called `name`; UNSUPPORTED when this agent has none. */
  get(name: string): NetworkDriver {
    let driver = this.instances.get(name);
    if (!driver) {
      const factory = this.factories[name];
      if (!factory) throw new AgentError('UNSUPPORTED', `no network driver ${name} on this node`);
      driver = factory();
      this.instances.set(name, driver);
    }
    return driver;
  }
}
