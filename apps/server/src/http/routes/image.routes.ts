import { ApiError, type imageRoutes } from '@novacron/api';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Lets `application/octet-stream` bodies through unread, so the upload route streams them instead of buffering. */
export function registerBinaryBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/octet-stream', (_request, _payload, done) => done(null, undefined));
}

/** Image library routes. */
export function imageHandlers(s: Services): Handlers<typeof imageRoutes> {
  const { images } = s.compute;
  return {
    'images.list': ({ query }, ctx) => images.list(ctx.actor, query),
    'images.get': ({ params }, ctx) => images.get(ctx.actor, params.id),
    'images.create': ({ body }, ctx) => images.create(ctx.actor, body),
    'images.upload': ({ query }, ctx) => {
      const type = String(ctx.request.headers['content-type'] ?? '').split(';')[0].trim();
      if (type !== 'application/octet-stream') throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the image bytes with Content-Type: application/octet-stream');
      const length = Number(ctx.request.headers['content-length']);
      return images.upload(ctx.actor, query, ctx.request.raw, Number.isFinite(length) && length > 0 ? length : undefined);
    },
    'images.delete': async ({ params }, ctx) => {
      await images.delete(ctx.actor, params.id);
    },
  };
}
