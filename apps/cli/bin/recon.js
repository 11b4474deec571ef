#!/usr/bin/env node
// The CLI ships as TypeScript: tsx's loader compiles it on the fly, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
