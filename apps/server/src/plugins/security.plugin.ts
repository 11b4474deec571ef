import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

// One year, the value HSTS preload lists expect.
const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * Security headers on every response. The CSP keeps `default-src 'self'`: the single-page app and Swagger UI
 * at /docs load only same-origin scripts; Swagger UI needs inline styles and data: images, nothing else.
 * Frames are refused both ways (X-Frame-Options DENY and `frame-ancestors 'none'`). `worker-src 'self'` lets the
 * app register its service worker from its own origin and nothing else.
 */
export const securityPlugin = fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          // The web app's service worker (`/sw.js`, same origin); no blob: or data: workers.
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
      },
      hsts: { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      noSniff: true,
      crossOriginEmbedderPolicy: false,
    });
  },
  { name: 'security' },
);
