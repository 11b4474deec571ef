import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Where `npm run build -w @recon/web` writes the single-page app. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** The web app's service worker, built by `apps/web/vite.config.ts` into the root of `dist/`. */
export const SERVICE_WORKER_FILE = 'sw.js';

const SERVER_PATHS = /^\/(api|health|docs|ws|metrics|openapi\.json)(\/|$|\?)/;

/** A not-found GET for a page (not an API path) that a browser asked for gets the app's index.html. */
export function wantsWebApp(method: string, url: string, accept: string | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') && !SERVER_PATHS.test(url) && (accept ?? '').includes('text/html')
  );
}

/**
 * Serves the built web app at `/`. Hashed assets are cached for a year; index.html and `sw.js` are
 * revalidated, so a deploy is picked up on the next load (and by the service worker's update check). Absent build: the API still runs, with a warning.
 */
export const webAppPlugin = fp<{ root?: string }>(
  async (app, opts) => {
    const root = opts.root ?? WEB_DIST_DIR;
    if (!existsSync(join(root, 'index.html'))) {
      app.log.warn({ root }, 'web app not built; run npm run build');
      return;
    }
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        // The service worker controls the whole app from the root; `no-cache` above makes the browser
        // revalidate it on every update check, so a deploy reaches open tabs.
        if (path.endsWith(`${sep}${SERVICE_WORKER_FILE}`)) res.setHeader('service-worker-allowed', '/');
      },
    });
  },
  { name: 'web-app' },
);
