import { BankFormatError } from '../shared/bank-format.error';
import { splitLines } from '../shared/text';

/** One physical BAI2 record: its two-digit code, its fields (terminator removed) and its line. */
export interface Bai2RawRecord {
  code: string;
  fields: string[];
  /** The text after `NN,` as written, for the free-text field and `88` continuations. */
  body: string;
  line: number;
}

const CODES = new Set(['01', '02', '03', '16', '49', '88', '98', '99']);
const RECORD_START = /^(\d{2}),/;
// Several records on one line are separated by the `/` terminator and blanks (`.../   02,...`).
const NEXT_RECORD = /\/\s+(?=(?:01|02|03|16|49|88|98|99),)/;

/**
 * Splits a BAI2 file into physical records. Handles `/`-terminated records, newline-delimited records
 * without terminators, several records on one line, and an unterminated record wrapped onto a following
 * line that does not start with a record code (joined back without a separator, as fixed-width exports
 * cut them). Anything else that does not start with a known record code is rejected.
 */
export function lexBai2(text: string): Bai2RawRecord[] {
  const logical: { text: string; line: number }[] = [];
  splitLines(text).forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '') return;
    const previous = logical.at(-1);
    if (!RECORD_START.test(line.trimStart()) && previous !== undefined && !/\/$/.test(previous.text)) {
      previous.text += line;
      return;
    }
    logical.push({ text: line.trimStart(), line: index + 1 });
  });
  const records: Bai2RawRecord[] = [];
  for (const entry of logical) {
    for (const piece of entry.text.split(NEXT_RECORD)) {
      const match = RECORD_START.exec(piece);
      const code = match?.[1] ?? '';
      if (match === null || !CODES.has(code)) {
        throw new BankFormatError(
          'bai2',
          'UNKNOWN_RECORD',
          `unknown record ${JSON.stringify(piece.slice(0, 20))}: a BAI2 record starts with 01, 02, 03, 16, 49, 88, 98 or 99`,
          entry.line,
        );
      }
      const body = piece.slice(3).replace(/\s*\/\s*$/, '');
      records.push({ code, fields: body.split(','), body, line: entry.line });
    }
  }
  return records;
}
