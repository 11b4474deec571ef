import { onlineManager } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource-variable/inter';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/global.css';
import { App } from './app/app';
import { router } from './app/router';
import { registerServiceWorker } from './app/service-worker/register-service-worker';
import { showUpdateNotice } from './app/service-worker/update-notice';

// TanStack Query assumes it starts online and only listens for changes: a page loaded offline (from the
// service worker's shell) would fire its queries into the void. Starting from the browser's own state makes
// them wait, and the `online` event then resumes them.
onlineManager.setOnline(navigator.onLine);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Production builds only: the dev server has no hashed files to cache and its timings are not the product's.
if (import.meta.env.PROD) {
  registerServiceWorker(showUpdateNotice);
  // Loaded after the first view: the measuring code (and the shared route list) is not part of the initial
  // JavaScript.
  void import('./app/web-vitals').then(({ startWebVitals }) => {
    startWebVitals(() => router.state.matches);
  });
}
