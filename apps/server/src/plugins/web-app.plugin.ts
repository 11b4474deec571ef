import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Where `npm run build -w @recon/web` writes the single-page app. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const SERVER_PATHS = /^\/(api|health|docs|ws|metrics|openapi\.json)(\/|$|\?)/;

/** A not-found GET for a page (not an API path) that a browser asked for gets the app's index.html. */
export function wantsWebApp(method: string, url: string, accept: string | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') && !SERVER_PATHS.test(url) && (accept ?? '').includes('text/html')
  );
}

/**
 * Serves the built web app at `/`. Hashed assets are cached for a year; index.html is revalidated,
 * so a deploy is picked up on the next load. Absent build: the API still runs, with a warning.
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
      },
    });
  },
  { name: 'web-app' },
);
