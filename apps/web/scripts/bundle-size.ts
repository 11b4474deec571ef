// Prints the gzipped JavaScript a first visit downloads: the entry chunk and its static imports,
// then the same plus the chunks of the sign-in and projects routes. Run after `vite build`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

function closure(keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  keys.forEach(visit);
  return seen;
}

function gzipKb(keys: Set<string>): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const key of keys) {
    const chunk = manifest[key];
    if (!chunk) continue;
    const bytes = readFileSync(join(dist, chunk.file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw: raw / 1024, gzip: gzip / 1024 };
}

const entry = Object.keys(manifest).filter((key) => manifest[key]?.isEntry);
const route = (name: string) => Object.keys(manifest).filter((key) => key.endsWith(`pages/${name}.page.tsx`));
const rows: [string, Set<string>][] = [
  ['entry (index.html)', closure(entry)],
  ['entry + sign-in', closure([...entry, ...route('sign-in')])],
  ['entry + shell + projects', closure([...entry, 'src/layout/app-layout.tsx', ...route('projects')])],
];
console.log('| first view | JS raw KB | JS gzip KB |');
console.log('|---|---:|---:|');
for (const [name, keys] of rows) {
  const size = gzipKb(keys);
  console.log(`| ${name} | ${size.raw.toFixed(1)} | ${size.gzip.toFixed(1)} |`);
}
