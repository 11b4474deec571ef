import { SaxesParser } from 'saxes';

/** A parsed XML element: local name (namespace prefix dropped), attributes, children, direct text. */
export interface XmlElement {
  name: string;
  namespace: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  text: string;
}

/** Why an XML text could not be parsed, with the parser's line. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Called when an element closes, with its parent; returning true detaches the element from the tree
 * (it has been consumed), so repeated elements such as CAMT entries do not pile up in memory.
 */
export type XmlElementHandler = (element: XmlElement, parent: XmlElement | undefined) => boolean;

/**
 * Parses XML into a small element tree with `saxes` (no DTD, no external entities: nothing is fetched).
 * Text is kept for leaf elements only (mixed content does not occur in the formats read here).
 */
export function parseXml(text: string, onClose?: XmlElementHandler): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  // Set from event handlers, which flow analysis does not follow: kept in one object.
  const state: { root: XmlElement | null; failure: XmlSyntaxError | null } = { root: null, failure: null };
  parser.on('error', (error) => {
    state.failure ??= new XmlSyntaxError(error.message, parser.line);
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.local] = attribute.value;
    const element: XmlElement = { name: tag.local, namespace: tag.uri, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent === undefined) state.root ??= element;
    else {
      parent.children.push(element);
      parent.text = ''; // a container: the whitespace between its children is not content
    }
    stack.push(element);
  });
  const addText = (chunk: string): void => {
    const current = stack.at(-1);
    if (current !== undefined && current.children.length === 0) current.text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const element = stack.pop();
    const parent = stack.at(-1);
    if (element !== undefined && onClose !== undefined && onClose(element, parent) && parent !== undefined) {
      parent.children.pop();
    }
  });
  parser.write(text);
  if (state.failure === null) parser.close();
  if (state.failure !== null) throw state.failure;
  if (state.root === null) throw new XmlSyntaxError('no root element', parser.line);
  return state.root;
}

/** The first child with a local name, following a path (`child(el, 'Tp', 'CdOrPrtry', 'Cd')`). */
export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current;
}

/** All children with a local name. */
export const children = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element === undefined ? [] : element.children.filter((c) => c.name === name);

/** Trimmed text at a path, or null when absent or empty. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | null {
  const found = child(element, ...path);
  const text = found?.text.trim() ?? '';
  return text === '' ? null : text;
}

/** The first descendant (depth-first) with a local name. */
export function descendant(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (element === undefined) return undefined;
  for (const c of element.children) {
    if (c.name === name) return c;
    const deeper = descendant(c, name);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}
