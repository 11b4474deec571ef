/** An OFX element: an aggregate (children) or a leaf (value). Tag names are upper case. */
export interface OfxElement {
  name: string;
  value: string | null;
  children: OfxElement[];
}

// Leaves that SGML files may leave empty and unclosed (`<BRANCHID>` then `<ACCTID>...`): without this
// list an empty unclosed leaf would be taken for an aggregate and swallow its siblings.
const KNOWN_LEAVES = new Set([
  'TRNTYPE',
  'DTPOSTED',
  'DTUSER',
  'DTAVAIL',
  'TRNAMT',
  'FITID',
  'CORRECTFITID',
  'CORRECTACTION',
  'SRVRTID',
  'CHECKNUM',
  'REFNUM',
  'SIC',
  'PAYEEID',
  'NAME',
  'MEMO',
  'CURDEF',
  'CURRATE',
  'CURSYM',
  'BALAMT',
  'DTASOF',
  'BANKID',
  'BRANCHID',
  'ACCTID',
  'ACCTTYPE',
  'ACCTKEY',
  'BROKERID',
  'DTSTART',
  'DTEND',
  'CODE',
  'SEVERITY',
  'MESSAGE',
  'DTSERVER',
  'LANGUAGE',
  'DTPROFUP',
  'DTACCTUP',
  'ORG',
  'FID',
  'TRNUID',
  'CLTCOOKIE',
  'SUBACCTFUND',
  'SUBACCTSEC',
  'INV401KSOURCE',
  'DESC',
  'VALUE',
  'BALTYPE',
  'ADDR1',
  'CITY',
  'STATE',
  'POSTALCODE',
  'PHONE',
  'COUNTRY',
  'INTU.BID',
  'INTU.USERID',
  'MKTGINFO',
]);

type Token = { kind: 'open' | 'close'; name: string } | { kind: 'text'; text: string };

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    return ENTITIES[body.toLowerCase()] ?? whole;
  });

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z0-9._]+)[^>]*>|([^<]+)/g;
  for (const match of body.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push({ kind: 'text', text: match[1] });
    else if (match[3] !== undefined)
      tokens.push({ kind: match[2] === '/' ? 'close' : 'open', name: match[3].toUpperCase() });
    else if (match[4] !== undefined) tokens.push({ kind: 'text', text: decodeEntities(match[4]) });
  }
  return tokens;
}

/**
 * Builds the element tree of an OFX body, SGML (1.x: leaf tags are not closed) or XML (2.x). A tag
 * followed by text is a leaf, whether or not it is closed; a tag followed by another tag is an aggregate
 * unless its own close tag comes right after (an empty leaf such as `<LANGUAGE></LANGUAGE>`).
 */
export function parseOfxBody(body: string): OfxElement {
  const tokens = tokenize(body);
  const root: OfxElement = { name: '#root', value: null, children: [] };
  const stack: OfxElement[] = [root];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token === undefined) continue;
    const parent = stack.at(-1) ?? root;
    if (token.kind === 'text') continue; // whitespace between aggregates
    if (token.kind === 'close') {
      const at = stack.map((e) => e.name).lastIndexOf(token.name);
      if (at > 0) stack.length = at; // closes the aggregate and any unclosed ones inside it
      continue;
    }
    let text = '';
    let j = i + 1;
    while (tokens[j]?.kind === 'text') {
      const t = tokens[j];
      if (t?.kind === 'text') text += t.text;
      j += 1;
    }
    const next = tokens[j];
    const closesItself = next?.kind === 'close' && next.name === token.name;
    if (text.trim() !== '' || closesItself || KNOWN_LEAVES.has(token.name)) {
      parent.children.push({ name: token.name, value: text.trim(), children: [] });
      i = closesItself ? j : j - 1;
      continue;
    }
    const aggregate: OfxElement = { name: token.name, value: null, children: [] };
    parent.children.push(aggregate);
    stack.push(aggregate);
  }
  return root;
}

/** The first child with a name, following a path. */
export function ofxChild(element: OfxElement | undefined, ...path: string[]): OfxElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current;
}

/** A leaf's text at a path, or null when absent or empty. */
export function ofxText(element: OfxElement | undefined, ...path: string[]): string | null {
  const value = ofxChild(element, ...path)?.value ?? null;
  return value === null || value === '' ? null : value;
}

/** Every descendant with one of the names (document order). */
export function ofxFindAll(element: OfxElement, names: readonly string[]): OfxElement[] {
  const found: OfxElement[] = [];
  const walk = (e: OfxElement): void => {
    for (const c of e.children) {
      if (names.includes(c.name)) found.push(c);
      walk(c);
    }
  };
  walk(element);
  return found;
}
