import type { VmSpec } from '@novacron/api';
import { AgentError } from '../lib/agent-error';
import { importImage } from '../images/image-import';
import type { CommandHandlers } from '../link/command-dispatcher';
import type { CommandDeps } from './command-deps';

/** Image import (path inside the import dirs, URL, upload) and delete. */
export function imageCommandHandlers(d: CommandDeps): CommandHandlers {
  return {
    'image.import': (args, ctx) =>
      importImage(d.images, args, { signal: ctx.signal, progress: ctx.progress, serverUrl: d.serverUrl, nodeCredential: () => d.credentials.current() }),
    'image.delete': async ({ imageId }) => {
      const user = d.reconciler.desiredSpecs().find((spec) => usesImage(spec, imageId));
      if (user) throw new AgentError('IN_USE', `image ${imageId} is used by VM ${user.id}`);
      await d.images.delete(imageId);
      return {};
    },
  };
}

function usesImage(spec: VmSpec, imageId: string): boolean {
  return spec.boot.kernel === imageId || spec.boot.initrd === imageId
    || spec.disks.some((disk) => disk.source.type === 'image' && disk.source.image === imageId);
}
