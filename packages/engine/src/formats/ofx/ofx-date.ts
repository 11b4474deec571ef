import type { IsoDate } from '../../core/canonical';
import { isoDate } from '../shared/dates';

// YYYYMMDD, optional HHMMSS with optional .XXX milliseconds, optional [offset:TZ].
const OFX_DATE =
  /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:\.\d{1,3})?)?)?\s*(?:\[\s*[+-]?\d{1,2}(?:\.\d+)?(?::[A-Za-z]+)?\s*\])?$/;

/**
 * The calendar date of an OFX date-time as the institution wrote it (`20090401122017.000[-5:EST]` →
 * 2009-04-01). The local date is kept rather than shifted to UTC: a bank's posting day is a local day.
 */
export function ofxDate(raw: string): IsoDate | null {
  const match = OFX_DATE.exec(raw.trim());
  if (match === null) return null;
  const date = isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  if (date === null) return null;
  const [hour, minute, second] = [match[4], match[5], match[6]].map((v) => (v === undefined ? 0 : Number(v)));
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 60) return null;
  return date;
}
