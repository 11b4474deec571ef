import { openSession } from '../src/duck/session';
const s = await openSession({ memoryLimit: '1GB' });
const c = s.connection;
await c.run(`CREATE TABLE t AS SELECT 'INV-2024-' || lpad((i % 99999)::VARCHAR, 8, '0') AS x, 'ACME Trading GmbH ' || (i % 1000)::VARCHAR AS n FROM range(1000000) r(i)`);
for (const e of [
  `regexp_replace(lower(trim(x)), '[^\\p{L}\\p{N}]', '', 'g')`,
  `regexp_replace(lower(trim(x)), '[^\\p{L}\\p{N}]+', '', 'g')`,
  `regexp_replace(lower(trim(n)), '[^\\p{L}\\p{N}]', '', 'g')`,
  `regexp_replace(lower(trim(n)), '[^\\p{L}\\p{N}]+', '', 'g')`,
  `regexp_replace(lower(trim(x)), '[^a-z0-9]', '', 'g')`,
]) {
  const t = performance.now();
  await c.run(`SELECT count(DISTINCT ${e}) FROM t`);
  console.log(((performance.now() - t) / 1000).toFixed(2), e);
}
s.close();
