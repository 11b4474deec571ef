import type { DuckDBConnection } from '@duckdb/node-api';
import { CANONICAL_COLUMNS } from '../core/canonical';
import type { Pass } from '../rules/index';
import { pairPassColumns } from './pair-pass';
import { normalisedColumn, normalisedColumns, type NormalisedColumn } from './pass-sql';
import type { ResidualTables } from './result-tables';

/** The residual tables the previous one-to-one pass read, and the columns they hold. */
export interface CarriedResidual {
  tables: ResidualTables;
  columns: ReadonlySet<string>;
  /**
   * Whether the tables hold every record no pass has matched yet. A pass keyed on a normalised exact value
   * keeps only the records that have one (`requiredKeyColumns`): such tables are never a later source.
   */
  complete: boolean;
}

/**
 * The normalised exact keys a one-to-one pass requires: every join set of the pass includes `key = key AND
 * key <> ''` for a required `exact` comparison (`passSqlParts`), so a record without the value has no
 * candidate in this pass and need not be copied into its residual nor normalised (references are blank on
 * 40 % of the benchmark's records).
 */
function requiredKeyColumns(pass: Pass): string[] {
  return pass.comparisons.flatMap((c) => {
    const column = c.type === 'exact' && c.required ? normalisedColumn(c) : null;
    return column ? [column.name] : [];
  });
}

/**
 * A normalised column is computed through a map of the distinct raw values when they repeat this much:
 * counterparty names typically repeat (40,000 distinct in 1,000,000 benchmark rows: one regular expression
 * per name instead of per record, measured 2.2 s → 0.7 s per side), references typically do not.
 */
const MAP_WHEN_DISTINCT_SHARE_BELOW = 0.5;

const SIDES = ['left', 'right'] as const;
const canonical = new Set<string>(CANONICAL_COLUMNS.map(([name]) => name));

/** Canonical columns a raw-value expression reads (`x.counterparty`, `x.extra`). */
function rawColumns(column: NormalisedColumn): string[] {
  return SIDES.flatMap((side) =>
    [...column.raw('x', side).matchAll(/\bx\.([a-z_]+)\b/g)].flatMap((m) =>
      m[1] && canonical.has(m[1]) ? [m[1]] : [],
    ),
  );
}

/**
 * Materialises the records no pass has matched yet for a one-to-one pass: only the columns its SQL reads
 * plus its normalised values (`normalisedColumns`). When the previous pass's residual holds what is needed it
 * is the source (fewer rows, normalised values reused) instead of the canonical tables; repeated raw values
 * are normalised once through a map. Before any match, a pass without normalised values reads the canonical
 * tables as they are. `bigintAmounts`: every amount fits BIGINT arithmetic (see `reconcile`), so the copy
 * holds BIGINT amounts. Returns the tables and what they carry, for the next pass.
 */
export async function pairResidual(
  connection: DuckDBConnection,
  pass: Pass,
  threshold: number,
  options: { passIndex: number; bigintAmounts: boolean },
  carried: CarriedResidual | null,
): Promise<CarriedResidual> {
  const { passIndex } = options;
  const base = pairPassColumns(pass, threshold, true);
  const normalised = normalisedColumns(pass);
  const counted = await connection.runAndReadAll('SELECT count(*)::INTEGER FROM recon_matches');
  const anyMatch = Number(counted.getRowsJS()[0]?.[0] ?? 0) > 0;
  if (normalised.length === 0 && !anyMatch) {
    await dropPairResidual(connection, carried);
    return { tables: { left: 'records_left', right: 'records_right' }, columns: canonical, complete: true };
  }
  const keys = requiredKeyColumns(pass);
  const missing = (have: ReadonlySet<string>) => normalised.filter((n) => !have.has(n.name));
  const needs = (have: ReadonlySet<string>) =>
    [...base, ...missing(have).flatMap(rawColumns)].every((c) => have.has(c));
  const source = carried?.complete && needs(carried.columns) ? carried : null;
  const have = source?.columns ?? canonical;
  const compute = missing(have);
  const tables = { left: `_pres_left_${passIndex}`, right: `_pres_right_${passIndex}` };
  for (const side of SIDES) {
    const from = source ? source.tables[side] : `records_${side}`;
    const matched = `recon_match_${side}`;
    // Which missing values repeat enough to be normalised through a map of distinct raw values.
    let mapped: boolean[] = compute.map(() => false);
    if (compute.length > 0) {
      const probe = await connection.runAndReadAll(
        `SELECT count(*)::DOUBLE, ${compute.map((n) => `approx_count_distinct(${n.raw('s', side)})::DOUBLE`).join(', ')} FROM ${from} s`,
      );
      const [total = 0, ...distinct] = (probe.getRowsJS()[0] ?? []).map(Number);
      mapped = compute.map((_, i) => (distinct[i] ?? total) < total * MAP_WHEN_DISTINCT_SHARE_BELOW);
    }
    // Only what the pass reads is copied: wide sources (descriptions, extra columns) stay put.
    const select = [
      ...base.map((c) =>
        c === 'amount_minor' && options.bigintAmounts ? 's.amount_minor::BIGINT AS amount_minor' : `s.${c}`,
      ),
      ...normalised.filter((n) => have.has(n.name)).map((n) => `s.${n.name}`),
      ...compute.map((n, i) =>
        mapped[i] ? `m${i}.n AS ${n.name}` : `${n.normalise(n.raw('s', side))} AS ${n.name}`,
      ),
    ];
    const maps = compute.flatMap((n, i) =>
      mapped[i]
        ? [
            `CREATE OR REPLACE TEMP TABLE _nmap${i} AS SELECT v, ${n.normalise('v')} AS n FROM (SELECT DISTINCT ${n.raw('s', side)} AS v FROM ${from} s);`,
          ]
        : [],
    );
    const joins = compute
      .map((n, i) => (mapped[i] ? ` LEFT JOIN _nmap${i} m${i} ON m${i}.v = ${n.raw('s', side)}` : ''))
      .join('');
    const drops = compute.flatMap((_, i) => (mapped[i] ? [`DROP TABLE _nmap${i};`] : []));
    // Without a key the record has no candidate (see `requiredKeyColumns`). A key still to be computed is
    // tested on its raw value (every normaliser keeps NULL NULL): cheap, and only the kept records are
    // normalised (a test on the normalised value is pushed below the projection and normalises twice).
    const keyTests = normalised
      .filter((n) => keys.includes(n.name))
      .map((n) => (have.has(n.name) ? `s.${n.name} <> ''` : `${n.raw('s', side)} IS NOT NULL`));
    await connection.run(`
      ${maps.join('\n')}
      CREATE OR REPLACE TEMP TABLE ${tables[side]} AS
      SELECT ${select.join(', ')}
      FROM (SELECT * FROM ${from} s ANTI JOIN ${matched} m ON s.row_no = m.row_no) s${joins}
      ${keyTests.length > 0 ? `WHERE ${keyTests.join(' AND ')}` : ''};
      ${drops.join('\n')}`);
  }
  await dropPairResidual(connection, carried);
  return {
    tables,
    columns: new Set([...base, ...normalised.map((n) => n.name)]),
    complete: keys.length === 0,
  };
}

/** Drops residual tables `pairResidual` made (the canonical tables are left alone). */
export async function dropPairResidual(
  connection: DuckDBConnection,
  carried: CarriedResidual | null,
): Promise<void> {
  if (!carried || carried.tables.left === 'records_left') return;
  await connection.run(
    `DROP TABLE IF EXISTS ${carried.tables.left}; DROP TABLE IF EXISTS ${carried.tables.right};`,
  );
}
