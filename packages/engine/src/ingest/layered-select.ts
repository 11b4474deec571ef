/**
 * Builds `SELECT *, e AS a FROM (SELECT *, ... FROM source)` chains so an expression computed once (a regex
 * match) can be reused by later expressions without DuckDB evaluating it again.
 */
export class LayeredSelect {
  private readonly layers: Array<Array<[string, string]>> = [];

  constructor(private readonly source: string) {}

  /** Adds `expression AS alias` to layer `layer` (0-based); later layers may refer to the alias. */
  add(layer: number, alias: string, expression: string): string {
    while (this.layers.length <= layer) this.layers.push([]);
    this.layers[layer]?.push([alias, expression]);
    return alias;
  }

  /** The nested query with every layer, selecting `columns` at the end. */
  build(columns: readonly string[]): string {
    let query = `SELECT * FROM ${this.source}`;
    for (const layer of this.layers) {
      if (layer.length === 0) continue;
      const added = layer.map(([alias, expression]) => `${expression} AS ${alias}`).join(', ');
      query = `SELECT *, ${added} FROM (${query})`;
    }
    return `SELECT ${columns.join(', ')} FROM (${query})`;
  }
}
