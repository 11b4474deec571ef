/** Text encodings the tabular readers recognise. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  prefix.every((byte, index) => bytes[index] === byte);

/** Share of zero bytes at even and odd offsets; UTF-16 text of Latin script is about half zeros. */
function zeroShares(bytes: Uint8Array): { even: number; odd: number } {
  const length = Math.min(bytes.length, 4096);
  let even = 0;
  let odd = 0;
  for (let index = 0; index < length; index += 1) {
    if (bytes[index] !== 0) continue;
    if (index % 2 === 0) even += 1;
    else odd += 1;
  }
  const half = Math.max(1, length / 2);
  return { even: even / half, odd: odd / half };
}

/** True when the bytes are valid UTF-8 (a sequence cut at the end of a sample is allowed). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Detects the text encoding from a byte-order mark, the pattern of zero bytes, or UTF-8 validity.
 * Bytes that are not valid UTF-8 are read as Windows-1252, the superset of Latin-1 that Western
 * banks and spreadsheets write (`€` is 0x80 there).
 */
export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8-bom';
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  const zeros = zeroShares(bytes);
  if (zeros.odd > 0.3 && zeros.even < 0.05) return 'utf-16le';
  if (zeros.even > 0.3 && zeros.odd < 0.05) return 'utf-16be';
  return isValidUtf8(bytes) ? 'utf-8' : 'windows-1252';
}

const BOM_LENGTH: Readonly<Record<TextEncodingName, number>> = {
  'utf-8': 0,
  'utf-8-bom': 3,
  'utf-16le': 2,
  'utf-16be': 2,
  'windows-1252': 0,
};

/** Decodes bytes to a string (without byte-order mark); the end of a sample may be cut mid-character. */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const decoder = new TextDecoder(label, { ignoreBOM: true });
  const body = bytes.subarray(
    bytes[0] === 0xfe || bytes[0] === 0xff || bytes[0] === 0xef ? BOM_LENGTH[encoding] : 0,
  );
  return decoder.decode(body, { stream: true });
}
