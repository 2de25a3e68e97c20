import type { vmRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** VM routes: thin over the VM services, which check access (404 for what the caller may not see). */
export function vmHandlers(s: Services): Handlers<typeof vmRoutes> {
  const c = s.compute;
  return {
    'vms.list': ({ query }, ctx) => c.vms.list(ctx.actor, query),
    'vms.get': ({ params }, ctx) => c.vms.get(ctx.actor, params.id),
    'vms.create': ({ body }, ctx) => c.vms.create(ctx.actor, body),
    'vms.update': ({ params, body }, ctx) => c.vms.update(ctx.actor, params.id, body),
    'vms.delete': ({ params, query }, ctx) => c.vms.delete(ctx.actor, params.id, query.force),
    'vms.start': ({ params }, ctx) => c.power.action(ctx.actor, params.id, 'start'),
    'vms.stop': ({ params }, ctx) => c.power.action(ctx.actor, params.id, 'stop'),
    'vms.shutdown': ({ params, query }, ctx) => c.power.action(ctx.actor, params.id, 'shutdown', { timeout: query.timeout }),
    'vms.reboot': ({ params }, ctx) => c.power.action(ctx.actor, params.id, 'reboot'),
    'vms.reset': ({ params }, ctx) => c.power.action(ctx.actor, params.id, 'reset'),
    'vms.pause': ({ params }, ctx) => c.power.action(ctx.actor, params.id, 'pause'),
    'vms.resume': ({ params }, ctx) => c.power.action(ctx.actor, params.id, 'resume'),
    'vms.clone': ({ params, body }, ctx) => c.clones.clone(ctx.actor, params.id, body),
    'vms.snapshots.list': ({ params, query }, ctx) => c.snapshots.list(ctx.actor, params.id, query),
    'vms.snapshots.create': ({ params, body }, ctx) => c.snapshots.create(ctx.actor, params.id, body),
    'vms.snapshots.revert': ({ params }, ctx) => c.snapshots.revert(ctx.actor, params.id, params.snapshotId),
    'vms.snapshots.delete': ({ params }, ctx) => c.snapshots.delete(ctx.actor, params.id, params.snapshotId),
    'vms.disks.attach': ({ params, body }, ctx) => c.hotplug.attachDisk(ctx.actor, params.id, body),
    'vms.disks.detach': ({ params }, ctx) => c.hotplug.detachDisk(ctx.actor, params.id, params.diskId),
    'vms.nics.attach': ({ params, body }, ctx) => c.hotplug.attachNic(ctx.actor, params.id, body),
    'vms.nics.detach': ({ params }, ctx) => c.hotplug.detachNic(ctx.actor, params.id, params.nicId),
    'vms.consoleTickets.create': ({ params }, ctx) => c.consoles.createTicket(ctx.actor, params.id),
    'vms.serialLog': ({ params, query }, ctx) => c.consoles.serialLog(ctx.actor, params.id, query.maxBytes),
  };
}
