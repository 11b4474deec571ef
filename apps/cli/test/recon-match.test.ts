import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSession, validateRuleSet } from '@recon/engine';
import { describe, expect, it } from 'vitest';
import { cliWorkspace, runMatch, runRecon, useWorkspace } from './run-recon';

const workspace = useWorkspace(cliWorkspace);

describe('recon match', () => {
  it('exits 0 and writes every result file when everything reconciles', async () => {
    const run = await runMatch(
      workspace(),
      { left: 'bank.csv', right: 'ledger.csv', rules: 'rules.json', out: 'out-ok' },
      '--explain',
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
      expect(existsSync(join(workspace(), 'out-ok', name))).toBe(true);
    }
    const matches = readFileSync(join(workspace(), 'out-ok', 'matches.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(matches).toHaveLength(4);
    expect(matches.find((line) => line.includes(',T2,'))).toContain(',L2,');
    expect(matches.find((line) => line.includes(',T2,'))).toContain('-45.10,-45.10');
    const summary = JSON.parse(readFileSync(join(workspace(), 'out-ok', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'reconciled', exit_code: 0, matches: 3 });
    const explained = readFileSync(join(workspace(), 'out-ok', 'explanations.ndjson'), 'utf8')
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
    expect(readFileSync(join(workspace(), 'out-ok', 'discrepancies.csv'), 'utf8')).toContain(
      'booking_date,2024-03-05,2024-03-04,-1,days',
    );
  });

  it('exits 1 when matched amounts differ, and writes parquet on request', async () => {
    const run = await runMatch(
      workspace(),
      { left: 'bank.csv', right: 'ledger-fee.csv', rules: 'rules-tolerant.json', out: 'out-fee' },
      '--format',
      'parquet',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('discrepancies: 2 (amount: 1)');
    const session = await openSession();
    try {
      const reader = await session.connection.runAndReadAll(
        `SELECT field, left_value, right_value, delta, unit FROM '${join(workspace(), 'out-fee', 'discrepancies.parquet')}' WHERE field = 'amount'`,
      );
      expect(reader.getRowObjectsJS()).toEqual([
        { field: 'amount', left_value: '100.00', right_value: '99.50', delta: '-0.50', unit: 'amount' },
      ]);
    } finally {
      session.close();
    }
  });

  it('exits 1 and lists the record without a partner when differences are found', async () => {
    const run = await runMatch(
      workspace(),
      { left: 'bank.csv', right: 'ledger-short.csv', rules: 'rules.json', out: 'out-diff' },
      '--format',
      'json',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('result: differences found');
    const unmatched = JSON.parse(readFileSync(join(workspace(), 'out-diff', 'unmatched-left.json'), 'utf8'));
    expect(unmatched).toEqual([expect.objectContaining({ external_id: 'T3', amount: '250.00' })]);
    expect(JSON.parse(readFileSync(join(workspace(), 'out-diff', 'unmatched-right.json'), 'utf8'))).toEqual(
      [],
    );
  });

  it('writes plain progress lines, not a bar, when not on a terminal', async () => {
    const run = await runMatch(workspace(), {
      left: 'bank.csv',
      right: 'ledger.csv',
      rules: 'rules.json',
      out: 'out-progress',
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^progress +\d+% read left: /m);
    expect(run.stderr).toMatch(/^progress 100% done$/m);
    expect(run.stderr).not.toContain('\r');
  });

  it('reconciles the valid rows with --allow-row-errors and reports the rejected ones', async () => {
    const run = await runMatch(
      workspace(),
      { left: 'bad-rows.csv', right: 'ledger.csv', rules: 'rules.json', out: 'out-allow' },
      '--allow-row-errors',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('warning: reconciling without the rejected rows');
    const summary = JSON.parse(readFileSync(join(workspace(), 'out-allow', 'summary.json'), 'utf8'));
    expect(summary.inputs.left).toMatchObject({ rows: 2, loaded: 1, rejected_rows: 1 });
  });
});

describe('recon inspect', () => {
  it('shows the detected format, mapping and column profile', async () => {
    const run = await runRecon(['inspect', 'ledger.csv'], workspace());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('format: csv');
    expect(run.stdout).toContain('delimiter ";"');
    expect(run.stdout).toMatch(/"decimal_separator": ","/);
    expect(run.stdout).toMatch(/posting_date +date +YYYY-MM-DD/);
  });

  it('prints JSON with --json and exits 1 when rows cannot be read', async () => {
    const run = await runRecon(['inspect', 'bad-rows.csv', '--json'], workspace());
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ format: 'csv', rowCount: 2, rejectedRowCount: 1 });
    expect(report.errors).toContainEqual(
      expect.objectContaining({ row: 2, column: 'amount', raw: 'abc', code: 'AMOUNT_INVALID' }),
    );
  });

  it('still profiles the columns when no amount column can be detected', async () => {
    const run = await runRecon(['inspect', 'no-amount.csv'], workspace());
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/city +text/);
    expect(run.stderr).toContain('no amount column could be detected');
    expect(run.stderr).toContain('columns in the file: name, city');
  });

  it('needs exactly one file', async () => {
    const run = await runRecon(['inspect'], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('arguments: give exactly one FILE');
  });
});

describe('recon rules suggest and --auto', () => {
  it('prints a valid rule set as JSON on stdout and the reasons on stderr', async () => {
    const run = await runRecon(['rules', 'suggest', 'bank.csv', 'ledger.csv'], workspace());
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout);
    expect(validateRuleSet(rules).ok).toBe(true);
    expect(rules.passes.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/^note: /m);
  });

  it('matches with suggested rules and saves them so the run can be repeated with --rules', async () => {
    const auto = await runMatch(
      workspace(),
      { left: 'bank.csv', right: 'ledger.csv', out: 'out-auto' },
      '--auto',
    );
    expect(auto.code).toBe(0);
    const again = await runMatch(workspace(), {
      left: 'bank.csv',
      right: 'ledger.csv',
      rules: join('out-auto', 'rules-used.json'),
      out: 'out-again',
    });
    expect(again.code).toBe(0);
    expect(readFileSync(join(workspace(), 'out-again', 'matches.csv'), 'utf8')).toBe(
      readFileSync(join(workspace(), 'out-auto', 'matches.csv'), 'utf8'),
    );
  });

  it('needs two files', async () => {
    const run = await runRecon(['rules', 'suggest', 'bank.csv'], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('arguments: give two files: LEFT RIGHT');
  });
});
