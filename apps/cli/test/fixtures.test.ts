import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureDir, runMatch, runRecon, useWorkspace } from './run-recon';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

const workspace = useWorkspace(() => {
  const dir = fixtureDir({
    'amount-rules.json': JSON.stringify({
      version: 1,
      passes: [{ name: 'same amount', comparisons: [{ type: 'amount', tolerance_minor: 0 }] }],
    }),
  });
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
});

describe('recon on third-party fixtures', () => {
  it('reproduces Blnk scenario S5: one exact match and the external orphan left over', async () => {
    const run = await runMatch(workspace(), {
      left: 'blnk-s5-external.csv',
      right: 'blnk-s5-internal.csv',
      rules: 'amount-rules.json',
      out: 'out-s5',
    });
    expect(run.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(workspace(), 'out-s5', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ matches: 1, sides: { left: { unmatched: 1 }, right: { unmatched: 0 } } });
    const matches = readFileSync(join(workspace(), 'out-s5', 'matches.csv'), 'utf8');
    expect(matches).toContain(',ext_match,int_1,');
    expect(readFileSync(join(workspace(), 'out-s5', 'unmatched-left.csv'), 'utf8')).toContain(',ext_orphan,');
  });

  it('inspects a CAMT.053 statement: format, the movement and its balance check', async () => {
    const run = await runRecon(['inspect', 'camt053.v2.minimal.xml'], workspace());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('format: camt');
    expect(run.stdout).toContain('rows: 1, loaded: 1, rejected: 0');
    expect(run.stdout).toMatch(/^statement .*1 movements, balance check/m);
  });

  it('inspects a CAMT.054 batch that cannot be split and shows the finding that names the entry', async () => {
    const run = await runRecon(['inspect', 'camt054.v4.xml'], workspace());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rows: 1, loaded: 1, rejected: 0');
    expect(run.stdout).toMatch(
      /^ {2}finding BATCH_DETAILS_UNBALANCED \(row 1\): entry 1 \(ACSR160617103200001\) has 3 TxDtls/m,
    );
  });
});
