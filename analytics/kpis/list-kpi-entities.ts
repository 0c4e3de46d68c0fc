import { z } from 'zod';
import type { EntityKind } from '@/lib/entity-kind';
import type { Analytics } from '../clickhouse';
import { toChDateTime } from '../ch-time';
import { DIMENSIONS, type Period } from './board-view';
import { ledgerFamilies } from './families/ledger-families';
import { metricsOf, parseMetricRef, type KpiDefinition, type KpiFormula } from './kpi-definition';
import { applicableFilters, type SliceFilters } from './kpi-readings';
import { bucketSeconds, type LedgerFamily } from './ledger/ledger-family';
import { BEGINNING } from './ledger/read-ledger';

export interface KpiEntity {
  key: string;
  /** Per ledger metric ('metric' or 'metric@detail' when the family books a detail), this entity's contribution. */
  values: Record<string, number>;
  /** For duration KPIs: the entity's duration in seconds, as its sketch bucket states it. */
  seconds: number | null;
}

export interface KpiEntityGroup {
  /** The family's entity name, e.g. 'order-lines': which drill-through page its keys open. */
  family: string;
  /** What the keys name: which drill-through page opens each. */
  keys: EntityKind;
  entities: KpiEntity[];
  /** More entities contribute than were listed. */
  truncated: boolean;
}

const rowSchema = z.object({
  entity_key: z.string(),
  metric: z.string(),
  detail: z.string(),
  bucket: z.number(),
  value: z.string(),
});

const HOUR = 3_600_000;

/**
 * The entities behind a KPI's number: each family that writes one of its metrics runs its own
 * contribution SQL (the one definition the ledger sums), restricted to those metrics, the period
 * (to the whole hour, as the ledger reads it) and the KPI's slices. So the listed contributions
 * add up to the tile. Entities come worst first: for a rate where higher is better, those that
 * did not make the numerator; for durations, the longest; else the largest.
 */
export async function listKpiEntities(
  analytics: Analytics,
  kpi: KpiDefinition,
  q: { period: Period; filters: SliceFilters; limit: number },
  families: readonly LedgerFamily[] = ledgerFamilies,
): Promise<KpiEntityGroup[]> {
  const formula = listedFormula(kpi);
  if (!formula) return [];
  const metrics = metricsOf(formula);
  const level = formula.kind === 'level';
  const from = level ? BEGINNING : new Date(Math.floor(q.period.from.getTime() / HOUR) * HOUR);
  const to = new Date(Math.ceil(q.period.to.getTime() / HOUR) * HOUR);
  const filters = applicableFilters(kpi, q.filters);
  const order = orderOf(formula, kpi.better);

  const groups: KpiEntityGroup[] = [];
  for (const family of families) {
    const own = metrics.filter((m) => family.metrics.includes(m));
    if (own.length === 0) continue;
    const params: Record<string, unknown> = {
      metrics: own,
      from: toChDateTime(from),
      to: toChDateTime(to),
      primary: own.includes(order.metric) ? order.metric : own[0],
      limit: q.limit + 1,
    };
    const conditions = ['metric IN {metrics:Array(String)}', "hour >= {from:DateTime64(3, 'UTC')}", "hour < {to:DateTime64(3, 'UTC')}"];
    for (const d of DIMENSIONS) {
      const value = filters[d];
      if (value === undefined) continue;
      params[`f_${d}`] = value;
      conditions.push(`${d} = {f_${d}:String}`);
    }
    const contributions = `SELECT entity_key, metric, detail, bucket, sum(value) AS v
FROM (${family.contributionsSql('all')})
WHERE ${conditions.join(' AND ')}
GROUP BY entity_key, metric, detail, bucket
HAVING v != 0`;
    const rows = await analytics.query({
      name: `kpi-entities.${family.entity}`,
      sql: `WITH contributions AS (${contributions})
SELECT entity_key, metric, detail, bucket, toString(v) AS value
FROM contributions
WHERE entity_key IN (
    SELECT entity_key FROM contributions
    GROUP BY entity_key
    ORDER BY ${order.sql}, entity_key
    LIMIT {limit:UInt32}
)`,
      params,
      schema: rowSchema,
      timeoutMs: 30_000,
    });
    groups.push(shape(family, rows, q.limit, order));
  }
  return groups;
}

/** The ledger formula whose entities a KPI lists: its own, or the one a derived KPI names; null for none. */
function listedFormula(kpi: KpiDefinition): KpiFormula | null {
  const formula = kpi.value.kind === 'derived' ? kpi.value.listBy : kpi.value;
  return formula && formula.kind !== 'custom' && formula.kind !== 'derived' ? formula : null;
}

/** Whether a KPI's drill-down can list the entities behind its number. */
export function listsEntities(kpi: KpiDefinition): boolean {
  return kpi.drillTo !== null && listedFormula(kpi) !== null;
}

interface EntityOrder {
  metric: string;
  /** An ORDER BY expression over the grouped contributions; `{primary}` is bound. */
  sql: string;
  /** The primary metric is a duration sketch: its bucket is the entity's duration. */
  durations: boolean;
  compare(a: KpiEntity, b: KpiEntity): number;
}

/** Only these three orderings exist: the SQL is chosen here, never built from input. */
function orderOf(formula: KpiFormula, better: KpiDefinition['better']): EntityOrder {
  const primaryOf = (): string => {
    if (formula.kind === 'ratio') return parseMetricRef(formula.numerator.plus[0] ?? '').metric;
    if (formula.kind === 'quantile') return parseMetricRef(formula.metric).metric;
    if (formula.kind === 'total' || formula.kind === 'level') return parseMetricRef(formula.terms.plus[0] ?? '').metric;
    return '';
  };
  const metric = primaryOf();
  const total = (e: KpiEntity) =>
    Object.entries(e.values).reduce((acc, [k, v]) => (parseMetricRef(k).metric === metric ? acc + v : acc), 0);
  if (formula.kind === 'quantile') {
    return { metric, sql: 'maxIf(bucket, metric = {primary:String}) DESC', durations: true, compare: (a, b) => (b.seconds ?? 0) - (a.seconds ?? 0) };
  }
  // A rate where higher is better lists its misses first (a complement rate counts misses in its numerator).
  const ascending = formula.kind === 'ratio' && (better === 'higher') !== (formula.complement === true);
  return ascending
    ? { metric, sql: 'sumIf(v, metric = {primary:String}) ASC', durations: false, compare: (a, b) => total(a) - total(b) }
    : { metric, sql: 'sumIf(v, metric = {primary:String}) DESC', durations: false, compare: (a, b) => total(b) - total(a) };
}

function shape(family: LedgerFamily, rows: z.infer<typeof rowSchema>[], limit: number, order: EntityOrder): KpiEntityGroup {
  const byKey = new Map<string, KpiEntity>();
  for (const r of rows) {
    const entity = byKey.get(r.entity_key) ?? { key: r.entity_key, values: {}, seconds: null };
    const name = r.detail ? `${r.metric}@${r.detail}` : r.metric;
    entity.values[name] = (entity.values[name] ?? 0) + Number(r.value);
    if (order.durations && r.metric === order.metric) entity.seconds = bucketSeconds(r.bucket);
    byKey.set(r.entity_key, entity);
  }
  const entities = [...byKey.values()].sort((a, b) => order.compare(a, b) || a.key.localeCompare(b.key));
  return { family: family.entity, keys: family.keys, entities: entities.slice(0, limit), truncated: entities.length > limit };
}
