import type { DuckDBConnection } from '@duckdb/node-api';

/** Reads numeric columns of a query into Float64Arrays chunk by chunk (no row objects). */
export async function readNumberColumns(
  connection: DuckDBConnection,
  sql: string,
  columns: number,
): Promise<Float64Array[]> {
  const result = await connection.run(sql);
  const parts: number[][] = Array.from({ length: columns }, () => []);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let c = 0; c < columns; c += 1) {
      const vector = chunk.getColumnVector(c);
      const target = parts[c];
      if (!target) continue;
      for (let i = 0; i < chunk.rowCount; i += 1) {
        const value = vector.getItem(i);
        target.push(typeof value === 'number' ? value : Number(value));
      }
    }
  }
  return parts.map((p) => Float64Array.from(p));
}
