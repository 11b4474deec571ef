// Long-lived tabs look for a new deploy this often (the browser also checks on every navigation).
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Registers `/sw.js` once the page has loaded (so it never competes with the first view) and calls
 * `onUpdate` when a new version has installed behind the current one. The new version takes over only when
 * `onUpdate`'s `activate` is called — after the person chose to reload — and the page then reloads once.
 */
export function registerServiceWorker(
  onUpdate: (activate: () => void) => void,
  reload: () => void = () => {
    window.location.reload();
  },
): void {
  if (!('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  let isReloading = false;
  container.addEventListener('controllerchange', () => {
    // The first install also claims the page; only a takeover the person asked for reloads it.
    if (isReloading) reload();
  });
  const offer = (worker: ServiceWorker) => {
    onUpdate(() => {
      isReloading = true;
      worker.postMessage({ type: 'SKIP_WAITING' });
    });
  };
  const register = async () => {
    const registration = await container.register('/sw.js', { scope: '/' });
    // Installed while no tab let it take over (e.g. the notice was dismissed before a reload).
    if (registration.waiting && container.controller) offer(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && container.controller) offer(worker);
      });
    });
    setInterval(() => {
      registration.update().catch(() => undefined);
    }, UPDATE_CHECK_MS);
  };
  const start = () => {
    register().catch((error: unknown) => {
      // The app works without it (no offline shell); say why in the console for whoever debugs it.
      console.warn('service worker registration failed', error);
    });
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
