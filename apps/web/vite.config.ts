import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The API server; in development and `vite preview` every server path is proxied so the
// browser sees one origin and the httpOnly auth cookies just work.
const apiTarget = process.env.RECON_API_URL ?? 'http://127.0.0.1:2000';
const serverPaths = ['/api', '/health', '/docs', '/openapi.json', '/metrics'];

const proxy = {
  ...Object.fromEntries(serverPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
};

// The chunks of the shell a signed-out or signed-in first load needs besides the entry.
const SHELL_MODULES = ['/src/layout/app-layout.tsx', '/src/pages/sign-in.page.tsx'];
// Inter's Latin subset is the one the UI uses; other subsets are cached when a page first needs them.
const SHELL_FONT = /inter-latin-wght-normal-[\w-]+\.woff2$/;

/**
 * Builds `src/app/service-worker/sw.ts` into `dist/sw.js` with this build's version and precache list
 * (index.html, the entry and shell chunks with their static imports and CSS, the favicon). Production
 * builds only: the dev server has no hashed files to cache.
 */
function serviceWorker(): Plugin {
  const source = new URL('./src/app/service-worker/sw.ts', import.meta.url);
  return {
    name: 'recon-service-worker',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const files = Object.values(bundle);
      const chunks = files.filter((file) => file.type === 'chunk');
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const shell = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = byName.get(fileName);
        if (!chunk || shell.has(fileName)) return;
        shell.add(fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) shell.add(css);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks) {
        const isShell = SHELL_MODULES.some((path) => chunk.facadeModuleId?.endsWith(path) === true);
        if (chunk.isEntry || isShell) visit(chunk.fileName);
      }
      for (const file of files) if (SHELL_FONT.test(file.fileName)) shell.add(file.fileName);
      const precache = ['/index.html', '/favicon.svg', ...[...shell].sort().map((name) => `/${name}`)];
      // Every output name carries its content hash, so the sorted names (and index.html) identify the build.
      const hash = createHash('sha256');
      for (const name of files.map((file) => file.fileName).sort()) hash.update(`${name}\n`);
      const version = hash.digest('hex').slice(0, 12);
      const { code } = await transformWithOxc(readFileSync(source, 'utf8'), source.pathname, {
        lang: 'ts',
      });
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: code
          .replaceAll('__RECON_SW_VERSION__', JSON.stringify(version))
          .replaceAll('__RECON_PRECACHE__', JSON.stringify(precache)),
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorker()],
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
