import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server; in development and `vite preview` every server path is proxied so the
// browser sees one origin and the httpOnly auth cookies just work.
const apiTarget = process.env.RECON_API_URL ?? 'http://127.0.0.1:2000';
const serverPaths = ['/api', '/health', '/docs', '/openapi.json', '/metrics'];

const proxy = {
  ...Object.fromEntries(serverPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 400,
  },
});
