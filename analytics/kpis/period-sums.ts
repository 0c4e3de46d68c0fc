import type { Period, ViewPeriods } from './board-view';
import type { PeriodSums } from './kpi-definition';
import { BEGINNING, hourLabel, type LedgerFilters, type LedgerSlice, type LedgerSum } from './ledger/read-ledger';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** What one group of KPIs (those that accept the same filters) reads of the ledger. */
export interface SumsRequest {
  filters: LedgerFilters;
  flows: readonly string[];
  levels: readonly string[];
}

export interface ViewSums {
  current: PeriodSums;
  previous: PeriodSums;
  /** The current period's trend: one entry per hour or day. */
  steps: { at: string; sums: PeriodSums }[];
}

/**
 * The ledger slices that give a request's sums for both periods of a view. Flows: over the previous
 * period, and per step of the current one (their total is the period's). Levels: the balance at
 * the start of the previous period — the one read reaching back to the beginning, mostly from
 * monthly rows — then per step of either period, and from the start of one to that of the other.
 * Every bound is taken to the hour as the ledger reads it, so no hour counts twice.
 */
export function viewSlices(periods: ViewPeriods, r: SumsRequest): LedgerSlice[] {
  const { current, previous, grain } = periods;
  const flows = { metrics: r.flows, filters: r.filters };
  const levels = { metrics: r.levels, filters: r.filters };
  return [
    { ...flows, period: previous, groupBy: 'none' },
    { ...flows, period: current, groupBy: grain },
    { ...levels, period: { from: BEGINNING, to: floorTo(previous.from, HOUR) }, groupBy: 'none' },
    { ...levels, period: previous, groupBy: grain },
    { ...levels, period: { from: floorTo(previous.from, HOUR), to: floorTo(current.from, HOUR) }, groupBy: 'none' },
    { ...levels, period: current, groupBy: grain },
  ];
}

/** The sums of `viewSlices`' slices, in their order, as each period's PeriodSums. */
export function viewSums(periods: ViewPeriods, read: LedgerSum[][]): ViewSums {
  const [previousFlows, currentTrend, opening, previousLevels, between, currentLevels] = read;
  const { current, previous, grain } = periods;
  const before = stepsOver(previous, grain, opening, byGroup(previousLevels), new Map());
  const steps = stepsOver(current, grain, plus(opening, between), byGroup(currentLevels), byGroup(currentTrend));
  return {
    previous: whole(previous, previousFlows, plus(opening), before),
    current: whole(current, plus(...steps.map((s) => s.sums.flows)), plus(opening, between), steps),
    steps,
  };
}

function whole(period: Period, flows: LedgerSum[], opening: LedgerSum[], steps: ViewSums['steps']): PeriodSums {
  const points = [opening, ...steps.map((s) => s.sums.levels)];
  return { period, flows, levels: points[points.length - 1], levelPoints: points };
}

/**
 * Each step's sums: its flows, and the running levels at its start and end. A step's levels share
 * the sums its flows left alone with the step before (sums are never changed once made), so a
 * 30-day view does not copy every level sixty times.
 */
function stepsOver(
  period: Period,
  grain: 'hour' | 'day',
  opening: readonly LedgerSum[],
  levelFlows: Map<string, LedgerSum[]>,
  flows: Map<string, LedgerSum[]>,
): ViewSums['steps'] {
  const running = new Map(plus(opening).map((s) => [keyOf(s), s]));
  let level = [...running.values()];
  return stepsOf(period, grain).map(({ at, from, to }) => {
    const start = level;
    const moved = levelFlows.get(at);
    if (moved) {
      for (const s of moved) {
        const key = keyOf(s);
        const value = (running.get(key)?.value ?? 0) + s.value;
        running.set(key, { group: '', metric: s.metric, detail: s.detail, bucket: s.bucket, value });
      }
      level = [...running.values()];
    }
    return {
      at,
      sums: { period: { from, to }, flows: flows.get(at) ?? [], levels: level, levelPoints: [start, level] },
    };
  });
}

const keyOf = (s: LedgerSum) => `${s.metric}\u0001${s.detail}\u0001${s.bucket}`;

/** Sums added per metric, detail and bucket. */
function plus(...lists: (readonly LedgerSum[])[]): LedgerSum[] {
  // Fresh sums, owned here: added to in place.
  const total = new Map<string, LedgerSum>();
  for (const list of lists) {
    for (const s of list) {
      const key = keyOf(s);
      const prior = total.get(key);
      if (prior) prior.value += s.value;
      else total.set(key, { group: '', metric: s.metric, detail: s.detail, bucket: s.bucket, value: s.value });
    }
  }
  return [...total.values()];
}

function byGroup(sums: readonly LedgerSum[]): Map<string, LedgerSum[]> {
  const map = new Map<string, LedgerSum[]>();
  for (const s of sums) {
    const group = map.get(s.group);
    if (group) group.push(s);
    else map.set(s.group, [s]);
  }
  return map;
}

const floorTo = (d: Date, step: number) => new Date(Math.floor(d.getTime() / step) * step);

/**
 * The steps of a period with the group label the ledger gives each: 'YYYY-MM-DD' or
 * 'YYYY-MM-DD HH:00:00'. The last step ends with the period.
 */
export function stepsOf(period: Period, grain: 'hour' | 'day'): { at: string; from: Date; to: Date }[] {
  const step = grain === 'hour' ? HOUR : DAY;
  const steps = [];
  for (let t = floorTo(period.from, step).getTime(); t < period.to.getTime(); t += step) {
    const iso = new Date(t).toISOString();
    steps.push({
      at: grain === 'hour' ? hourLabel(new Date(t)) : iso.slice(0, 10),
      from: new Date(t),
      to: new Date(Math.min(t + step, period.to.getTime())),
    });
  }
  return steps;
}
