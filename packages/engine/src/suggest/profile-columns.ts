import type { EngineSession } from '../duck/session';
import { TEXT_FIELDS, type TextFieldRef } from '../rules/index';
import { fieldSql, normaliseSql } from '../match/sql-text';

/** How one text field looks on both sides, measured on a sample of each side. */
export interface FieldOverlapProfile {
  field: TextFieldRef;
  /** Share of non-empty values, per side. */
  filled: { left: number; right: number };
  /** Distinct values / non-empty values, per side (1 = every value unique). */
  uniqueness: { left: number; right: number };
  /** Share of the smaller side's distinct values also found on the other side (after trim + lower case). */
  overlap: number;
  /** Share of non-empty values made only of digits and separators. */
  numericShare: number;
  /** Candidate pairs an equality join on this field would produce, over the larger side's row count. */
  pairsPerRecord: number;
}

const SAMPLE = 50_000;

async function scalarRows(session: EngineSession, sql: string): Promise<unknown[][]> {
  return (await session.connection.runAndReadAll(sql)).getRowsJS();
}

/** Text fields present on both sides: the canonical ones plus `extra` columns found in a sample. */
export async function sharedFields(session: EngineSession): Promise<TextFieldRef[]> {
  const keys = async (side: string) =>
    new Set(
      (
        await scalarRows(
          session,
          `SELECT DISTINCT unnest(json_keys(extra)) FROM (SELECT extra FROM records_${side} LIMIT 2000)`,
        )
      ).map((r) => String(r[0])),
    );
  const left = await keys('left');
  const right = await keys('right');
  const extras = [...left]
    .filter((k) => right.has(k))
    .sort()
    .map((k): TextFieldRef => `extra.${k}`);
  return [...TEXT_FIELDS.filter((f) => f !== 'currency'), ...extras];
}

/** Profiles one field on samples of both sides. */
export async function profileColumn(
  session: EngineSession,
  field: TextFieldRef,
): Promise<FieldOverlapProfile> {
  const value = (alias: string) => `nullif(${normaliseSql(fieldSql(alias, field), ['trim', 'case'])}, '')`;
  const side = (name: string) =>
    `(SELECT ${value('t')} AS v FROM records_${name} t USING SAMPLE ${SAMPLE} ROWS (reservoir, 42))`;
  const [row] = await scalarRows(
    session,
    `WITH l AS ${side('left')}, r AS ${side('right')},
      ld AS (SELECT v, count(*) AS n FROM l WHERE v IS NOT NULL GROUP BY v),
      rd AS (SELECT v, count(*) AS n FROM r WHERE v IS NOT NULL GROUP BY v)
    SELECT
      (SELECT count(v)::DOUBLE / greatest(count(*), 1) FROM l), (SELECT count(v)::DOUBLE / greatest(count(*), 1) FROM r),
      (SELECT count(*)::DOUBLE FROM ld) / greatest((SELECT sum(n) FROM ld), 1),
      (SELECT count(*)::DOUBLE FROM rd) / greatest((SELECT sum(n) FROM rd), 1),
      (SELECT count(*)::DOUBLE FROM ld JOIN rd USING (v)) / greatest(least((SELECT count(*) FROM ld), (SELECT count(*) FROM rd)), 1),
      (SELECT count(*) FILTER (regexp_full_match(v, '[0-9 ./-]+'))::DOUBLE / greatest(count(*), 1) FROM ld),
      coalesce((SELECT sum(ld.n * rd.n)::DOUBLE FROM ld JOIN rd USING (v)), 0) / greatest((SELECT count(*) FROM l), (SELECT count(*) FROM r), 1)`,
  );
  const n = (i: number) => Number(row?.[i] ?? 0);
  return {
    field,
    filled: { left: n(0), right: n(1) },
    uniqueness: { left: n(2), right: n(3) },
    overlap: n(4),
    numericShare: n(5),
    pairsPerRecord: n(6),
  };
}
