import { createAdmin, type Admin } from './admin/admin';
import type { TenantUsageProvider } from './admin/tenant-usage';
import { AuditService } from './audit/audit.service';
import { createCompute, type Compute } from './compute/compute';
import { createIdentity, type Identity } from './auth/identity';
import type { Config } from './config';
import { EventBus } from './events/event-bus';
import { CleanupService } from './housekeeping/cleanup.service';
import { ExpiredRowsRepository } from './housekeeping/expired-rows.repository';
import type { Clock } from './lib/clock';
import { Mailer } from './mail/mailer';
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
  mailer: Mailer;
  identity: Identity;
  /** Counts tenant usage for quotas; the compute module replaces the default (which counts nothing: no VM tables yet). */
  tenantUsage: TenantUsageProvider;
  admin: Admin;
  /** Nodes and agents, VMs, images, storage, networks, consoles. */
  compute: Compute;
  /** Deletes expired sessions and tokens periodically; started and stopped with the HTTP app. */
  cleanup: CleanupService;
}

/** Wires the services together. */
export function createServices(config: Config, store: Store, clock: Clock): Services {
  const events = new EventBus(clock);
  const audit = new AuditService(store, clock);
  const settings = new SettingsService(store, clock, config.publicUrl);
  const mailer = new Mailer(settings);
  const operations = new OperationService(new OperationRepository(store), events, clock);
  const compute = createCompute({ config, store, clock, events, operations });
  const identity = createIdentity({ dataDir: config.dataDir, store, clock, settings, mailer, audit });
  const services: Services = {
    config,
    store,
    clock,
    events,
    audit,
    operations,
    settings,
    mailer,
    identity,
    tenantUsage: compute.usage,
    compute,
    cleanup: new CleanupService(new ExpiredRowsRepository(store), settings, clock, config.cleanupIntervalSeconds * 1000),
    admin: createAdmin({ store, clock, settings, mailer, audit, identity, usage: () => services.tenantUsage }),
  };
  return services;
}
