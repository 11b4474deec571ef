/**
 * Decodes bank file bytes: UTF-8 (BOM stripped) when the bytes are valid UTF-8, else Windows-1252 /
 * Latin-1, which is what older MT940, QIF and OFX 1.x files use.
 */
export function decodeText(content: Uint8Array): string {
  let bytes = content;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Splits text into lines on CRLF, CR or LF. */
export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);
