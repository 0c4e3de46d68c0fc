import type { Selectable } from 'kysely';
import { entityRefSchema, exceptionItemSchema, severities, type ExceptionItem, type Severity } from './exception-item';
import type { ExceptionItemsTable } from './workflow-schema';

export type ExceptionRow = Selectable<ExceptionItemsTable>;

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** One step more severe, as an SLA breach escalates; critical stays critical. */
export function raisedSeverity(s: Severity): Severity {
  return severities[Math.max(0, SEVERITY_RANK[s] - 1)] ?? s;
}

const iso = (t: Date | string) => new Date(t).toISOString();
const isoOrNull = (t: Date | string | null) => (t === null ? null : iso(t));
const entitiesSchema = entityRefSchema.array().min(1);

/** A stored row as the shared ExceptionItem; checked, so a bad row fails here and not in a browser. */
export function toExceptionItem(row: ExceptionRow): ExceptionItem {
  const entities = typeof row.entities === 'string' ? (JSON.parse(row.entities) as unknown) : row.entities;
  return exceptionItemSchema.parse({
    id: row.id,
    queue: row.queue,
    rule: row.rule,
    dedupeKey: row.dedupe_key,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    valueAtRisk: Number(row.value_at_risk),
    currency: row.currency,
    entities: entitiesSchema.parse(entities),
    warehouse: row.warehouse,
    channel: row.channel,
    openedAt: iso(row.opened_at),
    slaDueAt: iso(row.sla_due_at),
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    snoozedUntil: isoOrNull(row.snoozed_until),
    resolvedAt: isoOrNull(row.resolved_at),
    resolution: row.resolution,
    updatedAt: iso(row.updated_at),
    breachedAt: isoOrNull(row.breached_at),
    escalatedFrom: row.escalated_from,
  });
}
