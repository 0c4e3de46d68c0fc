import { z } from 'zod';

/** A range of whole UTC days, `to` included, as the SKU page's URL holds it (?from=&to=). */
export interface DayRange {
  fromDay: string;
  toDay: string;
  /** [from, to) as instants, for the queries. */
  from: Date;
  to: Date;
}

const DAY = 86_400_000;
const MAX_DAYS = 366;
const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

/** The range the URL asks for, or the last 30 days ending today; a reversed or too-long range is corrected, never refused. */
export function dayRangeFrom(search: { from?: string; to?: string }, now: Date): DayRange {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const parse = (s: string | undefined) => (s !== undefined && dayText.safeParse(s).success ? Date.parse(`${s}T00:00:00Z`) : null);
  let end = parse(search.to) ?? today;
  let start = parse(search.from) ?? end - 29 * DAY;
  if (start > end) [start, end] = [end, start];
  if ((end - start) / DAY + 1 > MAX_DAYS) start = end - (MAX_DAYS - 1) * DAY;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { fromDay: iso(start), toDay: iso(end), from: new Date(start), to: new Date(end + DAY) };
}
