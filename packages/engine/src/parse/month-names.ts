/**
 * Month names read by the `MMM` / `MMMM` date tokens, per language. The language is chosen by the mapping
 * (`month_names`), never guessed per value: `mar` is March in English, French, Italian and Spanish alike,
 * but a table per language keeps every accepted spelling explicit and testable.
 */
export const MONTH_NAME_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'] as const;

/** A language whose month names `MMM` / `MMMM` read. */
export type MonthNameLanguage = (typeof MONTH_NAME_LANGUAGES)[number];

/**
 * Per language and month (January first): the full name, then the abbreviations in use. Written in lower
 * case with their accents; the unaccented spelling and a trailing dot after an abbreviation are added
 * by `monthNameTable`.
 */
const SPELLINGS: Readonly<Record<MonthNameLanguage, ReadonlyArray<readonly string[]>>> = {
  en: [
    ['january', 'jan'],
    ['february', 'feb'],
    ['march', 'mar'],
    ['april', 'apr'],
    ['may'],
    ['june', 'jun'],
    ['july', 'jul'],
    ['august', 'aug'],
    ['september', 'sep', 'sept'],
    ['october', 'oct'],
    ['november', 'nov'],
    ['december', 'dec'],
  ],
  de: [
    ['januar', 'jan', 'jän', 'jänner'],
    ['februar', 'feb', 'feber'],
    ['märz', 'mär', 'mrz'],
    ['april', 'apr'],
    ['mai'],
    ['juni', 'jun'],
    ['juli', 'jul'],
    ['august', 'aug'],
    ['september', 'sep', 'sept'],
    ['oktober', 'okt'],
    ['november', 'nov'],
    ['dezember', 'dez'],
  ],
  fr: [
    ['janvier', 'janv', 'jan'],
    ['février', 'févr', 'fév'],
    ['mars', 'mar'],
    ['avril', 'avr'],
    ['mai'],
    ['juin'],
    ['juillet', 'juil', 'juill'],
    ['août', 'aoû'],
    ['septembre', 'sept', 'sep'],
    ['octobre', 'oct'],
    ['novembre', 'nov'],
    ['décembre', 'déc'],
  ],
  es: [
    ['enero', 'ene'],
    ['febrero', 'feb'],
    ['marzo', 'mar'],
    ['abril', 'abr'],
    ['mayo', 'may'],
    ['junio', 'jun'],
    ['julio', 'jul'],
    ['agosto', 'ago'],
    ['septiembre', 'setiembre', 'sep', 'sept', 'set'],
    ['octubre', 'oct'],
    ['noviembre', 'nov'],
    ['diciembre', 'dic'],
  ],
  it: [
    ['gennaio', 'gen'],
    ['febbraio', 'feb'],
    ['marzo', 'mar'],
    ['aprile', 'apr'],
    ['maggio', 'mag'],
    ['giugno', 'giu'],
    ['luglio', 'lug'],
    ['agosto', 'ago'],
    ['settembre', 'set'],
    ['ottobre', 'ott'],
    ['novembre', 'nov'],
    ['dicembre', 'dic'],
  ],
  nl: [
    ['januari', 'jan'],
    ['februari', 'feb'],
    ['maart', 'mrt', 'mar'],
    ['april', 'apr'],
    ['mei'],
    ['juni', 'jun'],
    ['juli', 'jul'],
    ['augustus', 'aug'],
    ['september', 'sep', 'sept'],
    ['oktober', 'okt'],
    ['november', 'nov'],
    ['december', 'dec'],
  ],
  pt: [
    ['janeiro', 'jan'],
    ['fevereiro', 'fev'],
    ['março', 'mar'],
    ['abril', 'abr'],
    ['maio', 'mai'],
    ['junho', 'jun'],
    ['julho', 'jul'],
    ['agosto', 'ago'],
    ['setembro', 'set'],
    ['outubro', 'out'],
    ['novembro', 'nov'],
    ['dezembro', 'dez'],
  ],
};

const stripAccents = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

const tables = new Map<MonthNameLanguage, ReadonlyMap<string, number>>();

/**
 * Every accepted spelling of a language's month names (lower case) → month number 1–12: the full name
 * and each abbreviation, with and without accents, abbreviations also with a trailing dot (`janv.`).
 * The TypeScript and the SQL date parsers both look names up in this one table.
 * @example monthNameTable('fr').get('févr.') // 2
 */
export function monthNameTable(language: MonthNameLanguage): ReadonlyMap<string, number> {
  const known = tables.get(language);
  if (known !== undefined) return known;
  const table = new Map<string, number>();
  SPELLINGS[language].forEach((spellings, index) => {
    spellings.forEach((spelling, position) => {
      for (const form of new Set([spelling, stripAccents(spelling)])) {
        table.set(form, index + 1);
        // Only abbreviations take a dot: `janv.` is usual, `janvier.` is not a date.
        if (position > 0 || form.length <= 4) table.set(`${form}.`, index + 1);
      }
    });
  });
  tables.set(language, table);
  return table;
}
