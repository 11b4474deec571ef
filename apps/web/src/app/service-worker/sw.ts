// The web app's service worker, built into `dist/sw.js` by the plugin in `vite.config.ts`, which replaces
// the two constants below: the build's version and the shell's files (index.html, the entry chunk and
// what it imports, the signed-in layout, the sign-in page, their CSS). It imports nothing, so it runs as
// a classic worker in every browser.
//
// - Navigations: network first; offline, the cached index.html of this version (the app then shows its
//   offline banner). Never the network's index.html into the cache: it could name assets of a newer build.
// - `/assets/*` (content-hashed, immutable): cache first, stored on first use.
// - Server paths (`/api`, `/ws`, health, metrics, docs): never touched, never cached.
// - Caches are named by version; `activate` deletes other versions. A new version waits until the page asks
//   it to take over (`SKIP_WAITING`), after the person chose to reload.

declare const __RECON_SW_VERSION__: string;
declare const __RECON_PRECACHE__: readonly string[];

// lib.dom has no service-worker types and lib.webworker cannot be mixed with it in one program: these are
// the few members used here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
}

// `self` is typed as a Window by lib.dom; in this file it is the worker's global scope.
const worker = self as unknown as WorkerScope;
const VERSION = __RECON_SW_VERSION__;
const CACHE = `recon-${VERSION}`;
const SHELL = '/index.html';
const SERVER_PATHS = /^\/(api|ws|health|metrics|docs|openapi\.json)(\/|$)/;

worker.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

/** Fills this version's cache; hashed files already cached by an older version are copied, not fetched. */
async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  await Promise.all(
    __RECON_PRECACHE__.map(async (url) => {
      const known = url.startsWith('/assets/') ? await caches.match(url) : undefined;
      if (known) return cache.put(url, known);
      // `no-cache`: the HTTP cache may hold an index.html of the previous build.
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`precache ${url}: ${String(response.status)}`);
      return cache.put(url, response);
    }),
  );
}

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith('recon-') && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      // The first install takes the open page at once, so it works offline without a second load.
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('message', (event) => {
  const data = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING')
    void worker.skipWaiting();
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin || SERVER_PATHS.test(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(networkFirstShell(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
  else if (__RECON_PRECACHE__.includes(url.pathname)) event.respondWith(cacheFirst(request));
});

async function networkFirstShell(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await caches.match(SHELL, { cacheName: CACHE });
    if (shell) return shell;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Only complete same-origin answers: a 404 or a partial response must not be served forever.
  if (response.ok && response.status === 200 && response.type === 'basic')
    await cache.put(request, response.clone());
  return response;
}
