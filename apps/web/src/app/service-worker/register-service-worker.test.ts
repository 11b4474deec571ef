import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerServiceWorker } from './register-service-worker';

/** The browser's service-worker machinery, driven by hand (the outside world for this module). */
class FakeWorker extends EventTarget {
  state = 'installing';
  posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  become(state: string): void {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  update = vi.fn(() => Promise.resolve());
  startInstall(): FakeWorker {
    this.installing = new FakeWorker();
    this.dispatchEvent(new Event('updatefound'));
    return this.installing;
  }
}

class FakeContainer extends EventTarget {
  controller: object | null = null;
  registration = new FakeRegistration();
  register = vi.fn(() => Promise.resolve(this.registration));
}

function install(container: FakeContainer) {
  Object.defineProperty(navigator, 'serviceWorker', { value: container, configurable: true });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  Reflect.deleteProperty(navigator, 'serviceWorker');
  vi.useRealTimers();
});

describe('registerServiceWorker', () => {
  it('registers /sw.js for the whole app and, on the first install, neither offers nor reloads', async () => {
    const container = new FakeContainer();
    install(container);
    const onUpdate = vi.fn();
    const reload = vi.fn();
    registerServiceWorker(onUpdate, reload);
    await settle();
    expect(container.register).toHaveBeenCalledWith('/sw.js', { scope: '/' });
    container.registration.startInstall().become('installed');
    // The first version claims the page.
    container.controller = {};
    container.dispatchEvent(new Event('controllerchange'));
    expect(onUpdate).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('offers a new version, and only the person’s choice makes it take over and reload the page', async () => {
    const container = new FakeContainer();
    container.controller = {};
    install(container);
    const onUpdate = vi.fn<(activate: () => void) => void>();
    const reload = vi.fn();
    registerServiceWorker(onUpdate, reload);
    await settle();
    const worker = container.registration.startInstall();
    expect(onUpdate).not.toHaveBeenCalled();
    worker.become('installed');
    expect(onUpdate).toHaveBeenCalledTimes(1);
    expect(worker.posted).toEqual([]);
    onUpdate.mock.calls[0]![0]();
    expect(worker.posted).toEqual([{ type: 'SKIP_WAITING' }]);
    container.dispatchEvent(new Event('controllerchange'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('offers a version that was already waiting when the page loaded', async () => {
    const container = new FakeContainer();
    container.controller = {};
    container.registration.waiting = new FakeWorker();
    install(container);
    const onUpdate = vi.fn();
    registerServiceWorker(onUpdate, vi.fn());
    await settle();
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });
});
