import type { PoolSpec, VmSpec } from '@novacron/api';
import { AgentError } from '../lib/agent-error';
import type { CommandHandlers } from '../link/command-dispatcher';
import type { CommandDeps } from './command-deps';

/** Volume create (empty, copy, linked clone), resize (live through the hypervisor when attached), delete. */
export function volumeCommandHandlers(d: CommandDeps): CommandHandlers {
  return {
    'volume.create': async (args) => {
      let from: { path: string; format: string } | undefined;
      if (args.from?.type === 'image') {
        const image = await d.images.require(args.from.image, ['disk']);
        from = { path: image.path, format: image.format };
      } else if (args.from?.type === 'volume') {
        const source = d.storage.forPool(args.from.pool);
        if (!(await source.exists(args.from.pool, args.from.volume, args.from.format))) {
          throw new AgentError('NOT_FOUND', `volume ${args.from.volume} not found in pool ${args.from.pool.id}`);
        }
        from = source.attachment(args.from.pool, args.from.volume, args.from.format);
      }
      return d.storage.forPool(args.pool).create(args.pool, { volumeId: args.volumeId, format: args.format, sizeBytes: args.sizeBytes, from, linked: args.linked });
    },
    'volume.resize': async (args) => {
      const driver = d.storage.forPool(args.pool);
      const running = args.vmId !== undefined && d.driver.running().includes(args.vmId);
      if (running && args.vmId && args.diskId) {
        // The running QEMU holds the image open: grow it through QEMU so the guest sees the new size at once.
        await d.driver.resizeDisk(args.vmId, args.diskId, args.sizeBytes);
        return { sizeBytes: (await driver.volumeInfo(args.pool, args.volumeId, args.format)).sizeBytes };
      }
      const user = runningUser(d, args.pool, args.volumeId);
      if (user) throw new AgentError('IN_USE', `volume ${args.volumeId} is attached to running VM ${user}; pass vmId and diskId to grow it live`);
      return { sizeBytes: (await driver.resize(args.pool, args.volumeId, args.format, args.sizeBytes)).sizeBytes };
    },
    'volume.delete': async (args) => {
      const user = runningUser(d, args.pool, args.volumeId);
      if (user) throw new AgentError('IN_USE', `volume ${args.volumeId} is attached to running VM ${user}`);
      await d.storage.forPool(args.pool).delete(args.pool, args.volumeId, args.format);
      return {};
    },
  };
}

function runningUser(d: CommandDeps, pool: PoolSpec, volumeId: string): string | undefined {
  return d.driver.running().find((vmId) => {
    const spec: VmSpec | undefined = d.reconciler.desiredSpec(vmId);
    return spec?.disks.some((disk) => disk.source.type === 'volume' && disk.source.pool === pool.id && disk.source.volume === volumeId);
  });
}
