import type { RowError } from '../../core/canonical';
import type { BankReadResult } from '../../core/statement';
import { BankFormatError } from '../shared/bank-format.error';
import { emptyStatement, finishStatements, type DraftStatement } from '../shared/statement-builder';
import { decodeText } from '../shared/text';
import {
  bai2Date,
  readAccount,
  readDetail,
  type Bai2GroupContext,
  type Bai2Logical,
  type Bai2Summary,
} from './bai2-account';
import { lexBai2, type Bai2RawRecord } from './bai2-lexer';

/** One control the trailers state, recomputed from the records. */
export interface Bai2ControlCheck {
  /** `49` account, `98` group or `99` file trailer. */
  trailer: '49' | '98' | '99';
  line: number;
  what: 'control_total' | 'record_count' | 'account_count' | 'group_count';
  stated: string;
  computed: string;
  ok: boolean;
}

/** The BAI2 reader's result: the common bank result, every trailer control, and each account's summaries. */
export interface Bai2ReadResult extends BankReadResult {
  controls: Bai2ControlCheck[];
  summaries: Bai2Summary[][];
}

interface Totals {
  sum: bigint;
  records: number;
  children: number;
}

const zero = (): Totals => ({ sum: 0n, records: 0, children: 0 });

/** Groups each record with the `88` continuations that follow it. */
function withContinuations(records: Bai2RawRecord[]): Bai2Logical[] {
  const out: Bai2Logical[] = [];
  for (const record of records) {
    const last = out.at(-1);
    if (record.code === '88') {
      if (last === undefined)
        throw new BankFormatError(
          'bai2',
          'MALFORMED_STRUCTURE',
          '88 continuation with no record before it',
          record.line,
        );
      last.continuations.push(record);
    } else out.push({ record, continuations: [] });
  }
  return out;
}

function check(
  controls: Bai2ControlCheck[],
  errors: RowError[],
  trailer: Bai2ControlCheck['trailer'],
  line: number,
  what: Bai2ControlCheck['what'],
  statedRaw: string | undefined,
  computed: bigint | number,
): void {
  const stated = (statedRaw ?? '').trim().replace(/^\+/, '');
  if (stated === '') return; // optional count left empty
  const ok = /^-?\d+$/.test(stated) && BigInt(stated) === BigInt(computed);
  controls.push({ trailer, line, what, stated, computed: computed.toString(), ok });
  if (!ok) {
    // Row 0: a file-level finding, not a transaction.
    errors.push({
      row: 0,
      column: `${trailer}.${what}`,
      raw: stated,
      code: 'RECORD_MALFORMED',
      message: `${trailer} trailer on line ${line}: ${what} states ${stated}, the records give ${computed.toString()}`,
    });
  }
}

function fail(message: string, line: number): never {
  throw new BankFormatError('bai2', 'MALFORMED_STRUCTURE', message, line);
}

/**
 * Reads a BAI2 cash-management file (01 file, 02 group, 03 account, 16 detail, 88 continuation, 49/98/99
 * trailers). Every trailer's control total and record count is recomputed; a mismatch is reported in
 * `controls` and as a row-0 error, never thrown. Structure errors (unknown record, wrong nesting,
 * missing trailer) throw `BankFormatError`.
 */
export function readBai2(content: Uint8Array): Bai2ReadResult {
  const text = decodeText(content);
  if (text.trim() === '') throw new BankFormatError('bai2', 'EMPTY_FILE', 'the file is empty');
  const logicals = withContinuations(lexBai2(text));
  const first = logicals[0]?.record;
  if (first?.code !== '01')
    throw new BankFormatError(
      'bai2',
      'NOT_THIS_FORMAT',
      'a BAI2 file starts with an 01 file header',
      first?.line ?? 1,
    );

  const drafts: DraftStatement[] = [];
  const summaries: Bai2Summary[][] = [];
  const controls: Bai2ControlCheck[] = [];
  const errors: RowError[] = [];
  let file: Totals | null = null;
  let group: (Totals & { context: Bai2GroupContext }) | null = null;
  let account: (Totals & { draft: DraftStatement }) | null = null;
  let closed = false;
  let row = 0;

  for (const logical of logicals) {
    const { record } = logical;
    const physical = 1 + logical.continuations.length;
    if (closed) fail(`record ${record.code} after the 99 file trailer`, record.line);
    if (file !== null) file.records += physical;
    if (group !== null) group.records += physical;
    if (account !== null) account.records += physical;
    switch (record.code) {
      case '01':
        if (file !== null) fail('a second 01 file header', record.line);
        if ((record.fields[7] ?? '2').trim() !== '2')
          fail(`version ${record.fields[7] ?? ''} is not BAI2`, record.line);
        file = { ...zero(), records: physical };
        break;
      case '02': {
        if (file === null || group !== null)
          fail('02 group header outside a file or inside another group', record.line);
        const rawDate = (record.fields[3] ?? '').trim();
        const asOfDate = bai2Date(rawDate);
        if (asOfDate === null) fail(`02 as-of date ${JSON.stringify(rawDate)} is not YYMMDD`, record.line);
        group = {
          ...zero(),
          records: physical,
          context: { asOfDate, currency: (record.fields[5] ?? '').trim() || null },
        };
        break;
      }
      case '03': {
        if (group === null || account !== null)
          fail('03 account outside a group or before the previous 49 trailer', record.line);
        const draft = emptyStatement();
        const read = readAccount(logical, group.context, draft);
        draft.statementId = `${draft.account ?? ''}@${group.context.asOfDate}`;
        account = { sum: read.controlSum, records: physical, children: 0, draft };
        drafts.push(draft);
        summaries.push(read.summaries);
        break;
      }
      case '16': {
        if (account === null) fail('16 transaction detail outside an account', record.line);
        row += 1;
        const read = readDetail(
          logical,
          row,
          group?.context ?? { asOfDate: null, currency: null },
          account.draft,
        );
        account.sum += read.controlAmount;
        if ('code' in read.result) errors.push(read.result);
        else account.draft.records.push(read.result);
        break;
      }
      case '49': {
        const current = account ?? fail('49 account trailer without an 03 account', record.line);
        check(controls, errors, '49', record.line, 'control_total', record.fields[0], current.sum);
        check(controls, errors, '49', record.line, 'record_count', record.fields[1], current.records);
        if (group !== null) {
          group.sum += current.sum;
          group.children += 1;
        }
        account = null;
        break;
      }
      case '98': {
        if (account !== null) fail('98 group trailer before the 49 account trailer', record.line);
        const current = group ?? fail('98 group trailer without an 02 group', record.line);
        check(controls, errors, '98', record.line, 'control_total', record.fields[0], current.sum);
        check(controls, errors, '98', record.line, 'account_count', record.fields[1], current.children);
        check(controls, errors, '98', record.line, 'record_count', record.fields[2], current.records);
        if (file !== null) {
          file.sum += current.sum;
          file.children += 1;
        }
        group = null;
        break;
      }
      case '99': {
        if (group !== null) fail('99 file trailer before the 98 group trailer', record.line);
        const current = file ?? fail('99 without 01', record.line);
        check(controls, errors, '99', record.line, 'control_total', record.fields[0], current.sum);
        check(controls, errors, '99', record.line, 'group_count', record.fields[1], current.children);
        check(controls, errors, '99', record.line, 'record_count', record.fields[2], current.records);
        closed = true;
        break;
      }
      default:
        fail(`unexpected record ${record.code}`, record.line);
    }
  }
  if (!closed)
    throw new BankFormatError(
      'bai2',
      'MALFORMED_STRUCTURE',
      'the file ends without its 99 file trailer (truncated?)',
      logicals.at(-1)?.record.line ?? null,
    );
  return { ...finishStatements('bai2', drafts, errors), controls, summaries };
}
