import type { Prng } from './prng';

const SYLLABLES = [
  'al',
  'ber',
  'cor',
  'dan',
  'el',
  'fin',
  'gar',
  'hol',
  'is',
  'jun',
  'kal',
  'lor',
  'mar',
  'nor',
  'ol',
  'pel',
  'quin',
  'ros',
  'sal',
  'tor',
  'ul',
  'ven',
  'wil',
  'xan',
  'yor',
  'zet',
  'bra',
  'cle',
  'dro',
  'fla',
  'gri',
  'hel',
  'kro',
  'lum',
  'mos',
  'nex',
  'oro',
  'pra',
  'ste',
  'tri',
  'vol',
  'wen',
  'zor',
  'ami',
  'bel',
  'cam',
  'dor',
  'esk',
  'fer',
  'gal',
  'har',
  'ing',
  'jor',
  'kem',
  'lin',
  'mel',
  'nav',
  'ost',
  'pir',
  'rav',
] as const;
const TRADES = [
  'Trading',
  'Logistics',
  'Foods',
  'Systems',
  'Consulting',
  'Textiles',
  'Energy',
  'Media',
  'Holding',
  'Pharma',
  'Software',
  'Metals',
  'Retail',
  'Services',
  'Engineering',
  'Capital',
  'Labs',
  'Farms',
  'Transport',
  'Design',
  'Industries',
  'Partners',
  'Supplies',
  'Electronics',
  'Construction',
] as const;
const SUFFIXES = ['GmbH', 'Ltd', 'BV', 'SA', 'AG', 'Inc', 'SRL', 'Oy'] as const;

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A pool of distinct company names such as "Kalormar Logistics GmbH". */
export function companyNames(prng: Prng, count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    const parts = prng.int(2, 3);
    let stem = '';
    for (let i = 0; i < parts; i++) stem += prng.pick(SYLLABLES);
    seen.add(`${capitalise(stem)} ${prng.pick(TRADES)} ${prng.pick(SUFFIXES)}`);
  }
  return [...seen];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One keyboard-style typo: substitute, delete, insert or transpose one letter (never the first). */
export function typo(prng: Prng, name: string): string {
  const at = prng.int(1, name.length - 2);
  switch (prng.int(0, 3)) {
    case 0:
      return name.slice(0, at) + LETTERS.charAt(prng.int(0, LETTERS.length - 1)) + name.slice(at + 1);
    case 1:
      return name.slice(0, at) + name.slice(at + 1);
    case 2:
      return name.slice(0, at) + LETTERS.charAt(prng.int(0, LETTERS.length - 1)) + name.slice(at);
    default:
      return name.slice(0, at) + name.charAt(at + 1) + name.charAt(at) + name.slice(at + 2);
  }
}
