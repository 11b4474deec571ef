import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/recon.js', import.meta.url));

export interface ReconRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `recon` binary as a child process (stdin/stdout are pipes, so progress is plain lines). */
export function runRecon(args: readonly string[], cwd: string): Promise<ReconRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The files of one `recon match` run; `rules` is left out with `--auto`. */
export interface MatchFiles {
  left: string;
  right: string;
  rules?: string;
  out: string;
}

/** Runs `recon match --left … --right … [--rules …] --out …` followed by `flags`, in `cwd`. */
export function runMatch(cwd: string, files: MatchFiles, ...flags: string[]): Promise<ReconRun> {
  const rules = files.rules === undefined ? [] : ['--rules', files.rules];
  return runRecon(
    ['match', '--left', files.left, '--right', files.right, ...rules, '--out', files.out, ...flags],
    cwd,
  );
}

/**
 * A working directory made by `create` before the calling file's tests and removed after them;
 * the returned function gives its path while the tests run.
 */
export function useWorkspace(create: () => string): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = create();
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('useWorkspace: the workspace exists only while tests run');
    return dir;
  };
}

/** A fresh directory with the given files written into it. */
export function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'recon-cli-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Bank statement side: comma CSV, dot decimals. */
export const BANK_CSV = [
  'Transaction ID,Booking Date,Amount,Currency,Reference,Counterparty',
  'T1,2024-03-01,100.00,EUR,INV-001,Acme GmbH',
  'T2,2024-03-02,-45.10,EUR,INV-002,Beta Ltd',
  'T3,2024-03-05,250.00,EUR,INV-003,Gamma SA',
].join('\n');

/** Ledger side: semicolon CSV, decimal comma, references written differently. */
export const LEDGER_CSV = [
  'doc_no;posting_date;amount;ccy;invoice_ref;partner',
  'L1;2024-03-01;100,00;EUR;inv001;ACME GMBH',
  'L2;2024-03-02;-45,10;EUR;INV 002;Beta Limited',
  'L3;2024-03-04;250,00;EUR;INV-003;Gamma SA',
].join('\n');

export const RULES_JSON = JSON.stringify({
  version: 1,
  passes: [
    {
      name: 'reference',
      comparisons: [
        { type: 'exact', field: 'reference', normalisers: ['trim', 'case', 'strip_non_alphanumeric'] },
        { type: 'amount', tolerance_minor: 0 },
      ],
    },
  ],
});

/** A directory with the small bank, ledger, rules and broken files the CLI tests use. */
export function cliWorkspace(): string {
  return fixtureDir({
    'bank.csv': BANK_CSV,
    'ledger.csv': LEDGER_CSV,
    // One ledger line fewer: T3 has no partner.
    'ledger-short.csv': LEDGER_CSV.split('\n').slice(0, 3).join('\n'),
    'rules.json': RULES_JSON,
    'rules-tolerant.json': RULES_JSON.replace('"tolerance_minor":0', '"tolerance_minor":100'),
    // L1 is 0.50 off: within the tolerant rules, but an amount discrepancy.
    'ledger-fee.csv': LEDGER_CSV.replace('L1;2024-03-01;100,00', 'L1;2024-03-01;99,50'),
    'bad-rules.json': JSON.stringify({
      version: 1,
      passes: [{ name: 'fuzzy name', comparisons: [{ type: 'text', field: 'counterparty', threshold: 2 }] }],
    }),
    'bad-rows.csv': 'id,date,amount\nA1,2024-01-02,10.00\nA2,2024-13-03,abc\n',
    'not-json.json': '{ version: 1',
    'bad-mapping.json': JSON.stringify({ amount: { kind: 'signed' } }),
    'no-amount.csv': 'name,city\nAcme,Berlin\nBeta,Paris\n',
  });
}
