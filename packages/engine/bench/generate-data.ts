import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { BENCH_RULES } from './bench-rules';
import { companyNames, typo } from './names';
import { createPrng, permutation, type Prng } from './prng';

/** Bump when the data layout changes so cached files are regenerated. */
const GENERATOR_VERSION = 4;

/** Paths of one generated data set. */
export interface BenchData {
  dir: string;
  left: string;
  right: string;
  truth: string;
  rows: number;
}

/**
 * Truth categories (shares of `rows` per side):
 *  A 60 % exact reference pairs (same amount, lag 0–1 day);
 *  B 17 % no shared reference, amount drift ≤ 0.60, lag 0–3, half with a counterparty typo;
 *  C  5 % no shared reference, amount drift 0.3–1.8 %, lag 0–5, counterparty typo;
 *  D  2 % true pairs outside every tolerance (drift 5–15 %, lag 10–30): not in the recall denominator.
 * Decoys (records without a partner placed next to a true pair): a same-customer competitor that is worse
 * in amount and not better in date (2 % right, 2 % left, next to B pairs), a duplicated invoice reference
 * with another amount (1 % right, next to A pairs), and a same-customer near miss outside the date window
 * (1 % left, next to C pairs). The rest (13 % per side) are records with no partner at all.
 */
const SHARE = {
  A: 0.6,
  B: 0.17,
  C: 0.05,
  D: 0.02,
  decoyRightB: 0.02,
  decoyLeftB: 0.02,
  decoyRightA: 0.01,
  decoyLeftC: 0.01,
};

const BASE_DAY = Date.UTC(2022, 9, 1);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function dayStrings(): { iso: string[]; dmy: string[] } {
  const iso: string[] = [];
  const dmy: string[] = [];
  for (let d = 0; d < 1000; d++) {
    const date = new Date(BASE_DAY + d * 86_400_000);
    const [y, m, day] = [date.getUTCFullYear(), pad(date.getUTCMonth() + 1, 2), pad(date.getUTCDate(), 2)];
    iso.push(`${y}-${m}-${day}`);
    dmy.push(`${day}/${m}/${y}`);
  }
  return { iso, dmy };
}

/** Bank style: `-1234.56`. */
const dotAmount = (cents: number): string => {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${pad(abs % 100, 2)}`;
};

/** Ledger style, European: `-1.234,56`. */
const commaAmount = (cents: number): string => {
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${cents < 0 ? '-' : ''}${whole},${pad(abs % 100, 2)}`;
};

interface Rec {
  day: number;
  cents: number;
  ccy: string;
  name: string;
  ref: string;
}

const BANK_TEXT = [
  'SEPA CREDIT TRANSFER',
  'SEPA DIRECT DEBIT',
  'CARD PAYMENT',
  'INSTANT PAYMENT',
  'STANDING ORDER',
];
const LEDGER_TEXT = ['Customer receipt', 'Supplier payment', 'Invoice settlement', 'Refund', 'Fee'];

function refVariant(prng: Prng, ref: string): string {
  const v = prng.int(0, 2);
  return v === 0 ? ref : v === 1 ? ref.toLowerCase() : ref.replace(/[^A-Za-z0-9]/g, '');
}

/** Generates the data set (or reuses it when the manifest says it is the same seed, size and version). */
export function generateBenchData(dir: string, rows: number, seed: number): BenchData {
  const data: BenchData = {
    dir,
    left: join(dir, 'left-bank.csv'),
    right: join(dir, 'right-ledger.csv'),
    truth: join(dir, 'truth.csv'),
    rows,
  };
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.stringify({ version: GENERATOR_VERSION, rows, seed, rules: BENCH_RULES });
  if (existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === manifest) return data;
  mkdirSync(dir, { recursive: true });
  rmSync(manifestPath, { force: true });
  rmSync(join(dir, 'truth-labelled.parquet'), { force: true });

  const prng = createPrng(seed);
  const names = companyNames(prng, Math.max(1000, Math.round(rows / 25)));
  const days = dayStrings();
  const left: Rec[] = [];
  const right: Rec[] = [];
  const truth: [number, number, string][] = [];
  let refNo = 0;
  const newRef = (year: number): string => `INV-${year}-${pad(++refNo, 8)}`;
  const amount = (): number => {
    const abs = Math.round(Math.exp(Math.log(500) + prng.next() * Math.log(4000)));
    return prng.next() < 0.5 ? -abs : abs;
  };
  const ccy = (): string => (prng.next() < 0.9 ? 'EUR' : 'USD');
  const day = (): number => prng.int(120, 850);
  const pair = (l: Rec, r: Rec, category: string): void => {
    truth.push([left.length, right.length, category]);
    left.push(l);
    right.push(r);
  };
  const count = (share: number): number => Math.round(rows * share);
  const { tolerance } = BENCH_RULES;
  // Rules count lag as ledger − bank (negative); here lag is bank − ledger, the settlement delay.
  const maxLag = -tolerance.lagMinDays;

  for (let i = 0; i < count(SHARE.A); i++) {
    const [d, cents, c, name, ref] = [day(), amount(), ccy(), prng.pick(names), newRef(2024)];
    const rightName = prng.next() < 0.1 ? typo(prng, name) : name;
    pair(
      { day: d + prng.int(0, 1), cents, ccy: c, name, ref },
      { day: d, cents, ccy: c, name: rightName, ref: refVariant(prng, ref) },
      'A',
    );
    if (i < count(SHARE.decoyRightA)) {
      const off = Math.round(cents * (prng.next() < 0.5 ? -1 : 1) * (0.1 + prng.next() * 0.4));
      right.push({ day: d - prng.int(30, 90), cents: cents + off, ccy: c, name, ref: refVariant(prng, ref) });
    }
  }
  for (let i = 0; i < count(SHARE.B); i++) {
    const [d, cents, c, name] = [day(), amount(), ccy(), prng.pick(names)];
    const lag = prng.int(-tolerance.lagMaxDays, maxLag);
    const drift = prng.int(-60, 60);
    const rightName = prng.next() < 0.5 ? typo(prng, name) : name;
    const l: Rec = { day: d + lag, cents, ccy: c, name, ref: '' };
    const r: Rec = { day: d, cents: cents + drift, ccy: c, name: rightName, ref: newRef(2025) };
    pair(l, r, 'B');
    // Competitors: same customer, further off in amount, no closer in date. Best-first must prefer the truth.
    const worse = (): number =>
      (prng.next() < 0.5 ? -1 : 1) * prng.int(Math.abs(drift) + 1, tolerance.amountAbsMinor);
    const laterLag = (): number => prng.int(lag, maxLag);
    if (i < count(SHARE.decoyRightB)) {
      right.push({
        day: l.day - laterLag(),
        cents: l.cents + worse(),
        ccy: c,
        name: rightName,
        ref: newRef(2025),
      });
    } else if (i < count(SHARE.decoyRightB) + count(SHARE.decoyLeftB)) {
      left.push({ day: r.day + laterLag(), cents: r.cents + worse(), ccy: c, name, ref: '' });
    }
  }
  for (let i = 0; i < count(SHARE.C); i++) {
    const [d, cents, c, name] = [day(), amount(), ccy(), prng.pick(names)];
    const pct = 0.003 + prng.next() * 0.015;
    const drift = Math.max(1, Math.round(Math.abs(cents) * pct)) * (prng.next() < 0.5 ? -1 : 1);
    const r: Rec = { day: d, cents: cents + drift, ccy: c, name: typo(prng, name), ref: newRef(2025) };
    pair({ day: d + prng.int(0, 5), cents, ccy: c, name, ref: '' }, r, 'C');
    if (i < count(SHARE.decoyLeftC)) {
      const lag = prng.next() < 0.5 ? prng.int(8, 20) : -prng.int(2, 20);
      const near = Math.round(r.cents * (1 + (prng.next() - 0.5) * 0.02));
      left.push({ day: r.day + lag, cents: near, ccy: c, name, ref: '' });
    }
  }
  for (let i = 0; i < count(SHARE.D); i++) {
    const [d, cents, c, name] = [day(), amount(), ccy(), prng.pick(names)];
    const drift = Math.round(cents * (0.05 + prng.next() * 0.1)) * (prng.next() < 0.5 ? -1 : 1);
    pair(
      { day: d + prng.int(10, 30), cents, ccy: c, name, ref: '' },
      { day: d, cents: cents + drift, ccy: c, name, ref: newRef(2025) },
      'D',
    );
  }
  while (left.length < rows) {
    const ref = prng.next() < 0.5 ? '' : newRef(2026);
    left.push({ day: day(), cents: amount(), ccy: ccy(), name: prng.pick(names), ref });
  }
  while (right.length < rows)
    right.push({ day: day(), cents: amount(), ccy: ccy(), name: prng.pick(names), ref: newRef(2025) });

  const leftOrder = permutation(prng, rows);
  const rightOrder = permutation(prng, rows);
  const leftId = (pos: number): string => `BS${pad(pos + 1, 8)}`;
  const rightId = (pos: number): string => `GL${pad(pos + 1, 8)}`;
  const leftPos = new Uint32Array(rows);
  const rightPos = new Uint32Array(rows);
  leftOrder.forEach((gen, pos) => (leftPos[gen] = pos));
  rightOrder.forEach((gen, pos) => (rightPos[gen] = pos));

  writeLines(
    data.left,
    'Transaction ID,Booking Date,Value Date,Amount,Currency,Counterparty,Reference,Description',
    rows,
    (pos) => {
      const r = left[leftOrder[pos] ?? 0] as Rec;
      const valueDay = r.day + (pos % 3 === 0 ? 1 : 0);
      return `${leftId(pos)},${days.dmy[r.day]},${days.dmy[valueDay]},${dotAmount(r.cents)},${r.ccy},${r.name.toUpperCase()},${r.ref},${BANK_TEXT[pos % 5]}`;
    },
  );
  writeLines(data.right, 'doc_no;posting_date;amount;ccy;partner;invoice_ref;memo', rows, (pos) => {
    const r = right[rightOrder[pos] ?? 0] as Rec;
    return `${rightId(pos)};${days.iso[r.day]};${commaAmount(r.cents)};${r.ccy};${r.name};${r.ref};${LEDGER_TEXT[pos % 5]}`;
  });
  writeLines(data.truth, 'left_id,right_id,category', truth.length, (i) => {
    const [l, r, category] = truth[i] as [number, number, string];
    return `${leftId(leftPos[l] ?? 0)},${rightId(rightPos[r] ?? 0)},${category}`;
  });
  writeFileSync(manifestPath, manifest);
  return data;
}

function writeLines(path: string, header: string, count: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${header}\n`);
    let chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(line(i));
      if (chunk.length === 20_000) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}
