import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSession, validateRuleSet } from '@recon/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { BANK_CSV, LEDGER_CSV, RULES_JSON, fixtureDir, runRecon } from './run-recon';

let dir = '';
beforeAll(() => {
  dir = fixtureDir({
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
});

describe('recon (arguments and errors)', () => {
  it('prints the command list and exits 2 without a command', async () => {
    const run = await runRecon([], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Usage: recon <command>');
    expect(run.stdout).toContain('rules suggest');
  });

  it('rejects an unknown command with exit 2', async () => {
    const run = await runRecon(['reconcile'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "reconcile"');
  });

  it('prints the usage of a command with --help and exits 0', async () => {
    const run = await runRecon(['match', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Exit codes: 0 fully reconciled, 1 differences found, 2 error.');
  });

  it('names an unknown flag and shows the usage', async () => {
    const run = await runRecon(['match', '--lfet', 'bank.csv'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--lfet'");
    expect(run.stderr).toContain('Usage: recon match');
  });

  it('lists every missing or invalid flag', async () => {
    const run = await runRecon(
      ['match', '--left', 'bank.csv', '--rules', 'rules.json', '--format', 'xml'],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--right: required');
    expect(run.stderr).toContain('--out: required');
    expect(run.stderr).toContain('--format: use csv, json or parquet');
  });

  it('refuses --rules together with --auto', async () => {
    const run = await runRecon(
      ['match', '--left', 'a', '--right', 'b', '--out', 'o', '--rules', 'rules.json', '--auto'],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rules: give exactly one of --rules FILE or --auto');
  });

  it('names the missing input file', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'nope.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'rules.json',
        '--out',
        'out-missing',
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--left: file not found: nope.csv');
  });

  it('names the pass and field of an invalid rule set before reading any file', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'bad-rules.json',
        '--out',
        'out-bad',
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rules: bad-rules.json is not a valid rule set');
    expect(run.stderr).toMatch(/pass "fuzzy name": passes\.0\.comparisons\.0\.threshold: .*<=1/);
    expect(run.stderr).not.toContain('progress');
  });

  it('says which file is not valid JSON', async () => {
    const run = await runRecon(
      ['match', '--left', 'bank.csv', '--right', 'ledger.csv', '--rules', 'not-json.json', '--out', 'o'],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rules: not-json.json is not valid JSON');
  });

  it('names the key of an invalid column mapping', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'rules.json',
        '--map-left',
        'bad-mapping.json',
        '--out',
        'o',
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--map-left: bad-mapping.json is not a valid column mapping');
    expect(run.stderr).toMatch(/amount\.column: .*expected string/);
  });

  it('stops on unreadable rows with their row, column and raw value', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bad-rows.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'rules.json',
        '--out',
        'out-rows',
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--left: 1 of 2 rows rejected (2 row errors)');
    expect(run.stderr).toContain('row 2, column "amount", value "abc": AMOUNT_INVALID');
    expect(run.stderr).toContain('row 2, column "date", value "2024-13-03": DATE_INVALID');
    expect(readFileSync(join(dir, 'out-rows', 'row-errors-left.csv'), 'utf8')).toContain('AMOUNT_INVALID');
  });
});

describe('recon match', () => {
  it('exits 0 and writes every result file when everything reconciles', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'rules.json',
        '--out',
        'out-ok',
        '--explain',
      ],
      dir,
    );
    expect(run.stderr).not.toContain('recon match:');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('result: fully reconciled');
    for (const name of [
      'matches.csv',
      'unmatched-left.csv',
      'unmatched-right.csv',
      'discrepancies.csv',
      'summary.json',
    ]) {
      expect(existsSync(join(dir, 'out-ok', name))).toBe(true);
    }
    const matches = readFileSync(join(dir, 'out-ok', 'matches.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(matches).toHaveLength(4);
    expect(matches.find((line) => line.includes(',T2,'))).toContain(',L2,');
    expect(matches.find((line) => line.includes(',T2,'))).toContain('-45.10,-45.10');
    const summary = JSON.parse(readFileSync(join(dir, 'out-ok', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'reconciled', exit_code: 0, matches: 3 });
    const explained = readFileSync(join(dir, 'out-ok', 'explanations.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line): unknown => JSON.parse(line));
    expect(explained).toHaveLength(3);
    expect(explained[0]).toMatchObject({
      explanation: {
        comparisons: expect.arrayContaining([expect.objectContaining({ type: 'exact', passed: true })]),
      },
    });
    // T3 is booked a day after L3: listed as a discrepancy, not a difference.
    expect(readFileSync(join(dir, 'out-ok', 'discrepancies.csv'), 'utf8')).toContain(
      'booking_date,2024-03-05,2024-03-04,-1,days',
    );
  });

  it('exits 1 when matched amounts differ, and writes parquet on request', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger-fee.csv',
        '--rules',
        'rules-tolerant.json',
        '--out',
        'out-fee',
        '--format',
        'parquet',
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('discrepancies: 2 (amount: 1)');
    const session = await openSession();
    try {
      const reader = await session.connection.runAndReadAll(
        `SELECT field, left_value, right_value, delta, unit FROM '${join(dir, 'out-fee', 'discrepancies.parquet')}' WHERE field = 'amount'`,
      );
      expect(reader.getRowObjectsJS()).toEqual([
        { field: 'amount', left_value: '100.00', right_value: '99.50', delta: '-0.50', unit: 'amount' },
      ]);
    } finally {
      session.close();
    }
  });

  it('exits 1 and lists the record without a partner when differences are found', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger-short.csv',
        '--rules',
        'rules.json',
        '--out',
        'out-diff',
        '--format',
        'json',
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('result: differences found');
    const unmatched = JSON.parse(readFileSync(join(dir, 'out-diff', 'unmatched-left.json'), 'utf8'));
    expect(unmatched).toEqual([expect.objectContaining({ external_id: 'T3', amount: '250.00' })]);
    expect(JSON.parse(readFileSync(join(dir, 'out-diff', 'unmatched-right.json'), 'utf8'))).toEqual([]);
  });

  it('writes plain progress lines, not a bar, when not on a terminal', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'rules.json',
        '--out',
        'out-progress',
      ],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^progress +\d+% read left: /m);
    expect(run.stderr).toMatch(/^progress 100% done$/m);
    expect(run.stderr).not.toContain('\r');
  });

  it('reconciles the valid rows with --allow-row-errors and reports the rejected ones', async () => {
    const run = await runRecon(
      [
        'match',
        '--left',
        'bad-rows.csv',
        '--right',
        'ledger.csv',
        '--rules',
        'rules.json',
        '--out',
        'out-allow',
        '--allow-row-errors',
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('warning: reconciling without the rejected rows');
    const summary = JSON.parse(readFileSync(join(dir, 'out-allow', 'summary.json'), 'utf8'));
    expect(summary.inputs.left).toMatchObject({ rows: 2, loaded: 1, rejected_rows: 1 });
  });
});

describe('recon inspect', () => {
  it('shows the detected format, mapping and column profile', async () => {
    const run = await runRecon(['inspect', 'ledger.csv'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('format: csv');
    expect(run.stdout).toContain('delimiter ";"');
    expect(run.stdout).toMatch(/"decimal_separator": ","/);
    expect(run.stdout).toMatch(/posting_date +date +YYYY-MM-DD/);
  });

  it('prints JSON with --json and exits 1 when rows cannot be read', async () => {
    const run = await runRecon(['inspect', 'bad-rows.csv', '--json'], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ format: 'csv', rowCount: 2, rejectedRowCount: 1 });
    expect(report.errors).toContainEqual(
      expect.objectContaining({ row: 2, column: 'amount', raw: 'abc', code: 'AMOUNT_INVALID' }),
    );
  });

  it('still profiles the columns when no amount column can be detected', async () => {
    const run = await runRecon(['inspect', 'no-amount.csv'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/city +text/);
    expect(run.stderr).toContain('no amount column could be detected');
    expect(run.stderr).toContain('columns in the file: name, city');
  });

  it('needs exactly one file', async () => {
    const run = await runRecon(['inspect'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('arguments: give exactly one FILE');
  });
});

describe('recon rules suggest and --auto', () => {
  it('prints a valid rule set as JSON on stdout and the reasons on stderr', async () => {
    const run = await runRecon(['rules', 'suggest', 'bank.csv', 'ledger.csv'], dir);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout);
    expect(validateRuleSet(rules).ok).toBe(true);
    expect(rules.passes.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/^note: /m);
  });

  it('matches with suggested rules and saves them so the run can be repeated with --rules', async () => {
    const auto = await runRecon(
      ['match', '--left', 'bank.csv', '--right', 'ledger.csv', '--auto', '--out', 'out-auto'],
      dir,
    );
    expect(auto.code).toBe(0);
    const again = await runRecon(
      [
        'match',
        '--left',
        'bank.csv',
        '--right',
        'ledger.csv',
        '--rules',
        join('out-auto', 'rules-used.json'),
        '--out',
        'out-again',
      ],
      dir,
    );
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'out-again', 'matches.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'out-auto', 'matches.csv'), 'utf8'),
    );
  });

  it('needs two files', async () => {
    const run = await runRecon(['rules', 'suggest', 'bank.csv'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('arguments: give two files: LEFT RIGHT');
  });
});
