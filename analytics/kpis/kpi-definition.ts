import type { Analytics } from '../clickhouse';
import type { TransactionalStore } from '@/lib/db/transactional-store';
import type { BoardFilters, Dimension, Period } from './board-view';
import type { LedgerSource, LedgerSum } from './ledger/read-ledger';
import type { HeldLedgerReads } from './ledger/held-ledger-reads';

/**
 * One KPI of ../shared/KPIS.md, defined once: the board, its drill-downs, the reports and the
 * tests all read it from the catalogue (kpi-catalogue.ts).
 */
export type KpiFormat = 'count' | 'money' | 'percent' | 'hours' | 'days' | 'ratio';

export const KPI_SECTIONS = ['sales', 'fulfilment', 'stock', 'returns', 'finance', 'exceptions'] as const;
export type KpiSection = (typeof KPI_SECTIONS)[number];

/**
 * A ledger metric, optionally narrowed to one `detail` value: 'orders.cancelled' or
 * 'orders.cancelled@seller'.
 */
export type MetricRef = string;

export interface Terms {
  plus: readonly MetricRef[];
  minus?: readonly MetricRef[];
}

export type KpiFormula =
  /** Σ plus − Σ minus over the period. */
  | { kind: 'total'; terms: Terms }
  /** numerator ÷ denominator (null when the denominator is 0); `complement` gives 1 − that. */
  | { kind: 'ratio'; numerator: Terms; denominator: Terms; complement?: boolean; annualise?: boolean }
  /** A percentile of a duration sketch metric (seconds), shown in `unit`. */
  | { kind: 'quantile'; metric: MetricRef; q: number; unit: 'hours' | 'days' }
  /** A level at the end of the period: the running total of a flow metric (+1 in, −1 out) since the start. */
  | { kind: 'level'; terms: Terms }
  /**
   * Computed from ledger sums in a way the kinds above cannot say (an average level over the range,
   * a level by age): the KPI names the metrics it needs and the board reads them with the rest.
   */
  | {
      kind: 'derived';
      needs: LedgerNeeds;
      evaluate: (sums: PeriodSums) => number | null;
      /** The ledger formula whose entities stand behind the number, for the drill-down's list. */
      listBy?: KpiFormula;
    }
  /** Read some other way (from facts or the transactional store); for state the ledger cannot hold. */
  | { kind: 'custom'; read: CustomKpiReader };

export interface LedgerNeeds {
  /** Summed over the period. */
  flows?: readonly string[];
  /** Running totals since the ledger began (+1 in, −1 out). */
  levels?: readonly string[];
}

/** The ledger sums of one period (a board's range, or one step of its trend), as formulas read them. */
export interface PeriodSums {
  period: Period;
  /** Flow metrics summed over the period. */
  flows: readonly LedgerSum[];
  /** Level metrics at the end of the period. */
  levels: readonly LedgerSum[];
  /** Level metrics at the start of the period, then at the end of each of its hours or days (as its trend). */
  levelPoints: readonly (readonly LedgerSum[])[];
}

export interface KpiSources {
  analytics: Analytics;
  store?: TransactionalStore;
  /** Read the ledger's rows from here instead of its tables (bench:board's raw baseline). */
  ledgerSource?: LedgerSource;
  /**
   * Live boards' stock readings: `version` changes whenever stock positions, receipts or product
   * dimensions may have changed (they count the ledger passes that stored such events), and stock
   * readers reuse an answer read at the same version, kept against `keptBy` (the board, which
   * outlives its rounds). Without it they read afresh for every computation.
   */
  stock?: { version: number; keptBy: object };
  /** Live boards' ledger sums kept from one pass to the next; without it every computation reads the ledger. */
  heldReads?: HeldLedgerReads;
}

export interface CustomKpiQuery {
  period: Period;
  filters: BoardFilters;
  now: Date;
}

export type CustomKpiReader = (sources: KpiSources, query: CustomKpiQuery) => Promise<number | null>;

export interface KpiTarget {
  /** at_least: at or above `value` is green; at_most: at or below. */
  direction: 'at_least' | 'at_most';
  value: number;
  /** How far on the wrong side of the target still reads amber, in the KPI's own unit (a fraction for percents). */
  amber: number;
}

export interface KpiPart {
  key: string;
  label: string;
  format: KpiFormat;
  value: KpiFormula;
}

export interface KpiDefinition {
  key: string;
  label: string;
  section: KpiSection;
  format: KpiFormat;
  /** The definition in words a reader can check the number against; shown as the tile's help. */
  help: string;
  value: KpiFormula;
  /** Secondary figures on the same tile (p50 beside p90, unit and line fill beside order fill …). */
  parts?: readonly KpiPart[];
  /** The default target; an admin's target in the transactional store overrides it. */
  target?: KpiTarget;
  better: 'higher' | 'lower' | 'neither';
  /** Slices the KPI can be filtered and broken down by; filters on other dimensions leave it whole. */
  dimensions: readonly Dimension[];
  /** What one click more lists: the entities behind the number. */
  drillTo: 'orders' | 'skus' | 'returns' | 'refunds' | 'purchase_orders' | 'exceptions' | null;
}

export function parseMetricRef(ref: MetricRef): { readonly metric: string; readonly detail: string | null } {
  // The catalogue names a few dozen refs; formulas look them up once per sum they weigh.
  let parsed = parsedRefs.get(ref);
  if (!parsed) {
    const at = ref.indexOf('@');
    parsed = at < 0 ? { metric: ref, detail: null } : { metric: ref.slice(0, at), detail: ref.slice(at + 1) };
    parsedRefs.set(ref, parsed);
  }
  return parsed;
}
const parsedRefs = new Map<MetricRef, { readonly metric: string; readonly detail: string | null }>();

/** The ledger metrics a formula reads. */
export function metricsOf(formula: KpiFormula): string[] {
  const refs: MetricRef[] = [];
  const addTerms = (t: Terms) => refs.push(...t.plus, ...(t.minus ?? []));
  if (formula.kind === 'total' || formula.kind === 'level') addTerms(formula.terms);
  if (formula.kind === 'ratio') {
    addTerms(formula.numerator);
    addTerms(formula.denominator);
  }
  if (formula.kind === 'quantile') refs.push(formula.metric);
  if (formula.kind === 'derived') refs.push(...(formula.needs.flows ?? []), ...(formula.needs.levels ?? []));
  return [...new Set(refs.map((r) => parseMetricRef(r).metric))];
}
