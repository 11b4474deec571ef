import type { BankFormat } from '../core/statement';
import { decodeText, detectEncoding, type TextEncodingName } from './text-encoding';

/** Every format the sniffer can name. `xls` is recognised only to be refused with a clear message. */
export type SourceFormat = 'csv' | 'json' | 'ndjson' | 'xlsx' | 'parquet' | 'xls' | BankFormat | 'unknown';

/** What the first bytes of a file say about it. */
export interface SniffResult {
  format: SourceFormat;
  /** Text encoding, for text formats. */
  encoding: TextEncodingName | null;
  /** Field delimiter, for `csv`. */
  delimiter: string | null;
}

/** How many leading bytes `sniffFormat` needs at most. */
export const SNIFF_BYTES = 64 * 1024;

const DELIMITERS = [',', ';', '\t', '|'] as const;

const hasAscii = (bytes: Uint8Array, text: string): boolean =>
  Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));

/** Splits a text sample into records, honouring double quotes (a quoted field may hold newlines). */
function fieldCounts(sample: string, delimiter: string): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  let lineHasContent = false;
  for (const char of sample) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === delimiter) count += 1;
    else if (!quoted && char === '\n') {
      if (lineHasContent) counts.push(count);
      count = 0;
      lineHasContent = false;
      continue;
    }
    if (char !== '\r') lineHasContent = true;
  }
  // The last record may be cut off by the sample boundary: it is not counted.
  return counts.slice(0, 50);
}

/**
 * The delimiter whose count per record is the same on (nearly) every record and at least one.
 * Returns null for text that is not delimited (prose, a single column).
 */
export function detectDelimiter(sample: string): string | null {
  let best: { delimiter: string; consistency: number; fields: number } | null = null;
  const text = sample.includes('\n') ? sample : `${sample}\n`;
  for (const delimiter of DELIMITERS) {
    const counts = fieldCounts(text, delimiter);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistency = counts.filter((count) => count === header).length / counts.length;
    if (consistency < 0.8) continue;
    if (
      !best ||
      consistency > best.consistency ||
      (consistency === best.consistency && header > best.fields)
    ) {
      best = { delimiter, consistency, fields: header };
    }
  }
  return best?.delimiter ?? null;
}

function sniffText(text: string): { format: SourceFormat; delimiter: string | null } {
  const head = text.trimStart();
  const none = { delimiter: null };
  if (head.startsWith('<')) {
    if (/urn:iso:std:iso:20022:tech:xsd:camt\.05[234]/.test(head)) return { format: 'camt', ...none };
    if (/<OFX[\s>]/i.test(head)) return { format: 'ofx', ...none };
    return { format: 'unknown', ...none };
  }
  if (/^OFXHEADER\s*:/i.test(head) || /<OFX>/i.test(head.slice(0, 4096))) return { format: 'ofx', ...none };
  if (/^!(Type|Account|Option|Clear)/i.test(head)) return { format: 'qif', ...none };
  // BAI2 file header: 01,sender,receiver,YYMMDD,HHMM (records may share a line, so nothing more is needed).
  if (/^01,[^,\n]*,[^,\n]*,[0-9]{6},[0-9]{2,4}/.test(head)) return { format: 'bai2', ...none };
  // SWIFT: a basic header block, or a first line that is a field tag such as :20: or :61:.
  if (/^(\{1:|:[0-9]{2}[A-Z]?:)/.test(head)) return { format: 'mt940', ...none };
  // Some banks put routing lines (ABNANL2A, 940) above the first tag.
  if (/^:20:/m.test(head.slice(0, 2000)) && /^:25:/m.test(head.slice(0, 4000)))
    return { format: 'mt940', ...none };
  if (head.startsWith('[')) return { format: 'json', ...none };
  if (head.startsWith('{')) {
    const firstLine = head.split('\n', 1)[0] ?? '';
    try {
      JSON.parse(firstLine);
      return { format: 'ndjson', ...none };
    } catch {
      return { format: 'json', ...none };
    }
  }
  const delimiter = detectDelimiter(text);
  return delimiter === null ? { format: 'unknown', ...none } : { format: 'csv', delimiter };
}

/**
 * Names a file's format from its first bytes (pass up to `SNIFF_BYTES`), never from its name.
 * `headerRow` (1-based) skips lines above a delimited file's header.
 * @example sniffFormat(new TextEncoder().encode('id;Betrag\n1;1,50\n')) // { format: 'csv', encoding: 'utf-8', delimiter: ';' }
 */
export function sniffFormat(bytes: Uint8Array, options: { headerRow?: number } = {}): SniffResult {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  const binary = (format: SourceFormat): SniffResult => ({ format, encoding: null, delimiter: null });
  if (sample.length === 0) return binary('unknown');
  if (hasAscii(sample.subarray(0, 4), 'PAR1')) return binary('parquet');
  if ([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((byte, index) => sample[index] === byte))
    return binary('xls');
  if (hasAscii(sample.subarray(0, 4), 'PK\x03\x04'))
    return binary(hasAscii(sample, 'xl/') ? 'xlsx' : 'unknown');
  const encoding = detectEncoding(sample);
  // Lines above the header (a title, an export date) would hide the delimiter's regular pattern.
  const skip = Math.max(0, (options.headerRow ?? 1) - 1);
  const text = decodeText(sample, encoding).split('\n').slice(skip).join('\n');
  const found = sniffText(text.replace(/^[\u0001-\u0003]+/, ''));
  // Control characters other than whitespace mean binary data, unless a bank format was recognised
  // (SWIFT files may carry SOH/ETX framing).
  const isTabular =
    found.format === 'csv' ||
    found.format === 'json' ||
    found.format === 'ndjson' ||
    found.format === 'unknown';
  if (isTabular && /[\u0000-\u0008\u000E-\u001F]/.test(text.slice(0, 4096))) return binary('unknown');
  return { encoding, ...found };
}
