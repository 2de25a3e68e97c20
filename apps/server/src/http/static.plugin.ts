import fastifyStatic from '@fastify/static';
import { ApiError } from '@novacron/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build -w @novacron/web` writes the dashboard. */
export const defaultWebDist = fileURLToPath(new URL('../../../web/dist', import.meta.url));

// Vite puts content-hashed files under /assets/: they never change, so browsers may keep them for a year.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The shell must be revalidated on every load so a new build is picked up at once.
const NO_CACHE = 'no-cache';
// Inline styles are Mantine's CSS variables; data: images are the QR codes of 2FA enrolment.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function fileInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, `.${decoded}`);
  if (!full.startsWith(root + sep)) return null;
  try {
    return statSync(full).isFile() ? decoded : null;
  } catch {
    return null;
  }
}

/** Serves the built dashboard at `/`: real files, else index.html for client-side routes. `/api/*` keeps problem+json 404s.
 * Does nothing when the dashboard has not been built (API-only deployments, server tests). */
export async function registerWebApp(app: FastifyInstance, distDir: string = defaultWebDist): Promise<void> {
  const root = resolve(distDir);
  if (!existsSync(resolve(root, 'index.html'))) return;
  await app.register(fastifyStatic, {
    root,
    serve: false,
    // `vite build` writes .gz next to each text asset; sent when the browser accepts gzip.
    preCompressed: true,
    cacheControl: false,
    setHeaders(res, path) {
      const assets = `${sep}assets${sep}`;
      res.setHeader('cache-control', path.includes(assets) ? IMMUTABLE : NO_CACHE);
      res.setHeader('x-content-type-options', 'nosniff');
      if (path.endsWith('.html') || path.endsWith('.html.gz')) {
        res.setHeader('content-security-policy', CSP);
        res.setHeader('referrer-policy', 'same-origin');
        res.setHeader('x-frame-options', 'DENY');
      }
    },
  });
  app.route({ method: 'GET', url: '/*', handler: (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (path === '/api' || path.startsWith('/api/') || path === '/metrics') {
      throw new ApiError('ROUTE_NOT_FOUND', `no route ${request.method} ${path}`);
    }
    const file = fileInside(root, path);
    if (file) return reply.sendFile(file);
    // A missing hashed asset (an old tab after a deploy) must fail visibly rather than receive HTML as script.
    if (path.startsWith('/assets/')) throw new ApiError('NOT_FOUND', `no file ${path}`);
    return reply.sendFile('index.html');
  } });
}
