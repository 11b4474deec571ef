import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWorkspace, runRecon } from './run-recon';

let dir = '';
beforeAll(() => {
  dir = cliWorkspace();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
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
