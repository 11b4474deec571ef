import { defineConfig } from 'vitest/config';

// One test command for the workspace; each package runs as its own project.
export default defineConfig({
  test: {
    projects: ['packages/engine', 'packages/shared', 'apps/server', 'apps/cli', 'apps/web'],
  },
});
