/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Database names we create are generated, never user input; still, quote them. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
