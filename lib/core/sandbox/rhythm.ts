/**
 * When people shop: a day/night curve in the retailer's home time zone (US Eastern, taken as
 * UTC−5 all year) times a weekday factor, normalised so the week averages exactly 1.
 */
const HOME_UTC_OFFSET_HOURS = -5;

const HOUR_OF_DAY = [
  0.35, 0.25, 0.18, 0.15, 0.15, 0.2, 0.35, 0.6, 0.85, 1.0, 1.1, 1.15, 1.2, 1.15, 1.1, 1.1, 1.15, 1.2, 1.35, 1.5, 1.6, 1.5, 1.1, 0.6,
];
/** Sunday first, like Date#getUTCDay. */
const DAY_OF_WEEK = [1.1, 1.05, 1.0, 0.98, 0.97, 0.92, 0.95];

const MEAN = (() => {
  let sum = 0;
  for (const d of DAY_OF_WEEK) for (const h of HOUR_OF_DAY) sum += d * h;
  return sum / (DAY_OF_WEEK.length * HOUR_OF_DAY.length);
})();

/** Multiplier on the mean order rate at instant `ms` (epoch milliseconds). */
export function demandMultiplier(ms: number): number {
  const local = new Date(ms + HOME_UTC_OFFSET_HOURS * 3_600_000);
  return (DAY_OF_WEEK[local.getUTCDay()] * HOUR_OF_DAY[local.getUTCHours()]) / MEAN;
}
