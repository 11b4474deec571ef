import type { BankFormat } from '@recon/engine';

/**
 * The source text of the first transactions of a bank file, one entry per transaction in the order the
 * engine's readers number them (row 1 = first entry), so the preview can show what each record was built
 * from. Display only: a light scan of the text, never used to compute a value.
 */
export type SourceTexts = (string | null)[];

/** Column heading of the source text, per format. */
export const SOURCE_LABELS: Readonly<Record<BankFormat, string>> = {
  camt: 'Ntry elements',
  mt940: ':61: / :86: fields',
  ofx: 'STMTTRN elements',
  qif: 'QIF lines',
  bai2: '16 / 88 records',
};

const lines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/** MT940/942: each `:61:` field (with continuation lines) and the `:86:` fields that follow it. */
function mt940(text: string, limit: number): SourceTexts {
  const rows: string[] = [];
  let current: string[] | null = null;
  for (const line of lines(text)) {
    const tag = /^:(\d{2}[A-Z]?):/.exec(line)?.[1];
    if (tag === '61') {
      if (rows.length >= limit) break;
      current = [line];
      rows.push('');
    } else if (tag !== undefined && tag !== '86') current = null;
    else if (/^-\}|^\{/.test(line)) current = null;
    else if (current !== null) current.push(line);
    if (current !== null && rows.length > 0) rows[rows.length - 1] = current.join('\n');
  }
  return rows;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (value: string): string =>
  value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? '');
const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** CAMT: each `Ntry` element flattened to `path=value` lines (attributes such as `Ccy` in brackets). */
function camt(text: string, limit: number): SourceTexts {
  const rows: string[] = [];
  const entry = /<(?:[\w.-]+:)?Ntry[\s>][\s\S]*?<\/(?:[\w.-]+:)?Ntry>/g;
  for (let match = entry.exec(text); match !== null && rows.length < limit; match = entry.exec(text)) {
    const out: string[] = [];
    const path: string[] = [];
    const token = /<(\/?)([\w.:-]+)([^>]*?)(\/?)>|([^<]+)/g;
    let attributes = '';
    for (let t = token.exec(match[0]); t !== null; t = token.exec(match[0])) {
      const [, closing, name, attrs = '', selfClosing, body] = t;
      if (body !== undefined) {
        const value = body.trim();
        if (value !== '' && path.length > 1)
          out.push(`${path.slice(1).join('/')}${attributes}=${unescapeXml(value)}`);
      } else if (name !== undefined && closing === '/') path.pop();
      else if (name !== undefined && selfClosing !== '/') {
        path.push(localName(name));
        const pairs = [...attrs.matchAll(/([\w:]+)="([^"]*)"/g)].map(
          ([, k = '', v = '']) => `${localName(k)}=${unescapeXml(v)}`,
        );
        attributes = pairs.length > 0 ? `[${pairs.join(',')}]` : '';
      }
    }
    rows.push(out.join('\n'));
  }
  return rows;
}

/** OFX (SGML or XML): each `STMTTRN` aggregate as `TAG=value` lines. */
function ofx(text: string, limit: number): SourceTexts {
  const rows: string[] = [];
  const trn = /<STMTTRN>([\s\S]*?)<\/STMTTRN>/gi;
  for (let match = trn.exec(text); match !== null && rows.length < limit; match = trn.exec(text)) {
    const body = match[1] ?? '';
    const fields = [...body.matchAll(/<([A-Za-z0-9.]+)>([^<\r\n]*)/g)]
      .map(([, tag = '', value = '']) => [tag.toUpperCase(), value.trim()] as const)
      .filter(([, value]) => value !== '')
      .map(([tag, value]) => `${tag}=${value}`);
    rows.push(fields.join('\n'));
  }
  return rows;
}

const QIF_CASH_TYPES = new Set(['bank', 'ccard', 'cash', 'oth a', 'oth l']);

/** QIF: the lines of each transaction of a bank, card or cash register (lists and accounts skipped). */
function qif(text: string, limit: number): SourceTexts {
  const rows: string[] = [];
  let inRegister = false;
  let item: string[] = [];
  const end = () => {
    if (inRegister && item.length > 0) rows.push(item.join('\n'));
    item = [];
  };
  for (const raw of lines(text)) {
    if (rows.length >= limit) break;
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    if (line.startsWith('!')) {
      end();
      const header = line.slice(1).trim().toLowerCase();
      if (header.startsWith('option:') || header.startsWith('clear:')) continue;
      inRegister = header.startsWith('type:') && QIF_CASH_TYPES.has(header.slice(5).trim());
    } else if (line.startsWith('^')) end();
    else item.push(line);
  }
  if (rows.length < limit) end();
  return rows;
}

const BAI2_RECORD_START = /^\d{2},/;
// Several records can share a line, separated by the `/` terminator and blanks (as the engine's lexer reads).
const BAI2_NEXT_RECORD = /\/\s+(?=(?:01|02|03|16|49|88|98|99),)/;

/** BAI2: each `16` transaction detail with its `88` continuation records. */
function bai2(text: string, limit: number): SourceTexts {
  const logical: string[] = [];
  for (const raw of lines(text)) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    const previous = logical.length - 1;
    // A wrapped, unterminated record continues on a line that does not start with a record code.
    if (
      !BAI2_RECORD_START.test(line.trimStart()) &&
      previous >= 0 &&
      !(logical[previous] ?? '').endsWith('/')
    )
      logical[previous] = `${logical[previous] ?? ''}${line}`;
    else logical.push(line.trimStart());
  }
  const rows: string[] = [];
  let inDetail = false;
  for (const record of logical.flatMap((entry) => entry.split(BAI2_NEXT_RECORD))) {
    const code = record.slice(0, 3);
    if (code === '16,') {
      if (rows.length >= limit) break;
      rows.push(record);
      inDetail = true;
    } else if (code === '88,' && inDetail) rows[rows.length - 1] = `${rows.at(-1) ?? ''}\n${record}`;
    else inDetail = false;
  }
  return rows;
}

const SCANNERS: Readonly<Record<BankFormat, (text: string, limit: number) => SourceTexts>> = {
  camt,
  mt940,
  ofx,
  qif,
  bai2,
};

/** The source text of the first `limit` transactions of a bank file, as decoded text. */
export function bankSourceTexts(format: BankFormat, text: string, limit: number): SourceTexts {
  return SCANNERS[format](text, limit);
}
