import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWorkspace, runMatch, runRecon, useWorkspace } from './run-recon';

const workspace = useWorkspace(cliWorkspace);

describe('recon (arguments and errors)', () => {
  it('prints the command list and exits 2 without a command', async () => {
    const run = await runRecon([], workspace());
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Usage: recon <command>');
    expect(run.stdout).toContain('rules suggest');
  });

  it('rejects an unknown command with exit 2', async () => {
    const run = await runRecon(['reconcile'], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "reconcile"');
  });

  it('prints the usage of a command with --help and exits 0', async () => {
    const run = await runRecon(['match', '--help'], workspace());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Exit codes: 0 fully reconciled, 1 differences found, 2 error.');
  });

  it('names an unknown flag and shows the usage', async () => {
    const run = await runRecon(['match', '--lfet', 'bank.csv'], workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--lfet'");
    expect(run.stderr).toContain('Usage: recon match');
  });

  it('lists every missing or invalid flag', async () => {
    const run = await runRecon(
      ['match', '--left', 'bank.csv', '--rules', 'rules.json', '--format', 'xml'],
      workspace(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--right: required');
    expect(run.stderr).toContain('--out: required');
    expect(run.stderr).toContain('--format: use csv, json or parquet');
  });

  it('refuses --rules together with --auto', async () => {
    const run = await runMatch(
      workspace(),
      { left: 'a', right: 'b', rules: 'rules.json', out: 'o' },
      '--auto',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rules: give exactly one of --rules FILE or --auto');
  });

  it('names the missing input file', async () => {
    const run = await runMatch(workspace(), {
      left: 'nope.csv',
      right: 'ledger.csv',
      rules: 'rules.json',
      out: 'out-missing',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--left: file not found: nope.csv');
  });

  it('names the pass and field of an invalid rule set before reading any file', async () => {
    const run = await runMatch(workspace(), {
      left: 'bank.csv',
      right: 'ledger.csv',
      rules: 'bad-rules.json',
      out: 'out-bad',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rules: bad-rules.json is not a valid rule set');
    expect(run.stderr).toMatch(/pass "fuzzy name": passes\.0\.comparisons\.0\.threshold: .*<=1/);
    expect(run.stderr).not.toContain('progress');
  });

  it('says which file is not valid JSON', async () => {
    const run = await runMatch(workspace(), {
      left: 'bank.csv',
      right: 'ledger.csv',
      rules: 'not-json.json',
      out: 'o',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rules: not-json.json is not valid JSON');
  });

  it('names the key of an invalid column mapping', async () => {
    const run = await runMatch(
      workspace(),
      { left: 'bank.csv', right: 'ledger.csv', rules: 'rules.json', out: 'o' },
      '--map-left',
      'bad-mapping.json',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--map-left: bad-mapping.json is not a valid column mapping');
    expect(run.stderr).toMatch(/amount\.column: .*expected string/);
  });

  it('stops on unreadable rows with their row, column and raw value', async () => {
    const run = await runMatch(workspace(), {
      left: 'bad-rows.csv',
      right: 'ledger.csv',
      rules: 'rules.json',
      out: 'out-rows',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--left: 1 of 2 rows rejected (2 row errors)');
    expect(run.stderr).toContain('row 2, column "amount", value "abc": AMOUNT_INVALID');
    expect(run.stderr).toContain('row 2, column "date", value "2024-13-03": DATE_INVALID');
    expect(readFileSync(join(workspace(), 'out-rows', 'row-errors-left.csv'), 'utf8')).toContain(
      'AMOUNT_INVALID',
    );
  });
});
