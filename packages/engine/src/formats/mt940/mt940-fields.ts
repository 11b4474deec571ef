import { BankFormatError } from '../shared/bank-format.error';
import { splitLines } from '../shared/text';

/** One tagged field (`:61:...`) with its continuation lines and the line it starts on. */
export interface Mt940Field {
  tag: string;
  lines: string[];
  line: number;
}

/** A block of fields between statement separators (`-`, `-}` or a new `{4:` envelope). */
export type Mt940Block = Mt940Field[];

// Only tags MT940/MT942 define start a field: a detail line that happens to read `:26:...` is text.
const KNOWN_TAG = /^:(20|21|25P?|28C?|60[FM]|61|62[FM]|64|65|86|34F|13D?|90[DC]|NS):(.*)$/;
// SWIFT control characters (SOH, ETX) that wrap some bank exports.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/**
 * Splits an MT940/MT942 text into blocks of fields. Envelopes (`{1:...}{2:...}{4:`) and trailers (`-}`)
 * are removed; a line that starts no known tag continues the previous field.
 */
export function tokenizeMt940(text: string): Mt940Block[] {
  const lines = splitLines(text).map((line) => line.replace(CONTROL, '').replace(/\s+$/, ''));
  const blocks: Mt940Block[] = [];
  let block: Mt940Block = [];
  let field: Mt940Field | null = null;
  let sawTag = false;
  let firstText: { line: number; text: string } | null = null;
  const closeBlock = (): void => {
    if (block.length > 0) blocks.push(block);
    block = [];
    field = null;
  };
  for (let i = 0; i < lines.length; i += 1) {
    let line = lines[i] ?? '';
    const lineNo = i + 1;
    // Some savings-bank exports break a tag after its first colon (`:` then `86:...`).
    if (line === ':' && /^\d{2}[A-Z]?:/.test(lines[i + 1] ?? '')) {
      line = `:${lines[i + 1] ?? ''}`;
      i += 1;
    }
    if (line.startsWith('{')) {
      const at = line.indexOf('{4:');
      closeBlock();
      if (at === -1) continue;
      line = line.slice(at + 3);
      if (line.trim() === '') continue;
    }
    if (/^-}?\s*$/.test(line) || /^-}/.test(line)) {
      closeBlock();
      continue;
    }
    const tagged = KNOWN_TAG.exec(line);
    if (tagged !== null) {
      sawTag = true;
      field = { tag: tagged[1] ?? '', lines: [tagged[2] ?? ''], line: lineNo };
      block.push(field);
      continue;
    }
    if (line.trim() === '') continue;
    const current: Mt940Field | null = field;
    // Text before a message's first field is a bank preamble (ABN AMRO `ABNANL2A/940`, Rabobank `:940:`,
    // ING `0000 01INGBNL2A...`): not statement data, skipped.
    if (current === null) {
      firstText ??= { line: lineNo, text: line };
      continue;
    }
    current.lines.push(line);
  }
  closeBlock();
  if (!sawTag) {
    const seen = firstText === null ? '' : `, first text ${JSON.stringify(firstText.text.slice(0, 40))}`;
    throw new BankFormatError(
      'mt940',
      'NOT_THIS_FORMAT',
      `no MT940 field tag (such as :20: or :61:) found${seen}`,
      firstText?.line ?? 1,
    );
  }
  return blocks;
}
