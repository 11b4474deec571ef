import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRecord } from './engine-fixture';

export const FEBRL_DIR = join(import.meta.dirname, '..', 'fixtures', 'febrl');

/** Reads a FEBRL file (", " separated, no quoting) into records: every column kept in `extra`. */
export function readFebrl(file: string): TestRecord[] {
  const lines = readFileSync(join(FEBRL_DIR, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const extra = Object.fromEntries(header.map((h, k) => [h, cells[k] ? cells[k] : null]));
    const name = [extra.given_name, extra.surname].filter(Boolean).join(' ');
    return {
      row: i + 1,
      id: extra.rec_id ?? null,
      amount: 0,
      currency: null,
      counterparty: name || null,
      description:
        [extra.street_number, extra.address_1, extra.address_2, extra.suburb].filter(Boolean).join(' ') ||
        null,
      extra,
    };
  });
}

/** The true pairs as `leftId|rightId` strings. */
export function readTruePairs(): Set<string> {
  const lines = readFileSync(join(FEBRL_DIR, 'febrl4_true_pairs.csv'), 'utf8').split(/\r?\n/).slice(1);
  return new Set(
    lines
      .filter((l) => l.includes(','))
      .map((l) =>
        l
          .split(',')
          .map((c) => c.trim())
          .join('|'),
      ),
  );
}

export interface Accuracy {
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function accuracy(predicted: readonly string[], truth: ReadonlySet<string>): Accuracy {
  const truePositives = predicted.filter((p) => truth.has(p)).length;
  const precision = predicted.length === 0 ? 0 : truePositives / predicted.length;
  const recall = truePositives / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { predicted: predicted.length, truePositives, precision, recall, f1 };
}
