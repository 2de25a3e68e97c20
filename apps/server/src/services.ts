import { AuditService } from './audit/audit.service';
import type { Config } from './config';
import { EventBus } from './events/event-bus';
import type { Clock } from './lib/clock';
import { OperationRepository } from './operations/operation.repository';
import { OperationService } from './operations/operation.service';
import { SettingsService } from './settings/settings.service';
import type { Store } from './store/db';

/** Every long-lived service of the control plane, built once and handed to the routes. */
export interface Services {
  config: Config;
  store: Store;
  clock: Clock;
  audit: AuditService;
  events: EventBus;
  operations: OperationService;
  settings: SettingsService;
}

/** Wires the services together. */
export function createServices(config: Config, store: Store, clock: Clock): Services {
  const events = new EventBus(clock);
  return {
    config,
    store,
    clock,
    events,
    audit: new AuditService(store, clock),
    operations: new OperationService(new OperationRepository(store), events, clock),
    settings: new SettingsService(store, clock, config.publicUrl),
  };
}
