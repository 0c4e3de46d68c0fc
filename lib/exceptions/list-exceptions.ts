import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import {
  exceptionItemSchema,
  exceptionQueues,
  exceptionStatuses,
  severities,
  type ExceptionItem,
  type ExceptionQueue,
} from './exception-item';
import type { ExceptionTables } from './workflow-schema';

export const exceptionSorts = ['severity', 'age', 'sla', 'value', 'updated'] as const;

/** The list filters as they arrive in a query string; every value is optional. */
export const exceptionListFilterSchema = z.object({
  queue: z.enum(exceptionQueues).optional(),
  /** `unresolved` (the default) is open, claimed and snoozed together. */
  status: z.enum([...exceptionStatuses, 'unresolved', 'all']).default('unresolved'),
  severity: z.enum(severities).optional(),
  warehouse: z.string().min(1).max(64).optional(),
  channel: z.string().min(1).max(64).optional(),
  /** A user id, or `none` for unassigned items. */
  assignee: z.string().min(1).max(128).optional(),
  sort: z.enum(exceptionSorts).default('severity'),
  limit: z.coerce.number().int().min(1).max(20_000).default(20_000),
});
export type ExceptionListFilter = z.infer<typeof exceptionListFilterSchema>;

export interface ExceptionList {
  items: ExceptionItem[];
  /** Matching items per queue under the same filters except the queue: the tab counts. */
  counts: Record<ExceptionQueue, number>;
}

type Q<O> = SelectQueryBuilder<ExceptionTables, 'exception_items', O>;

function filtered<O>(q: Q<O>, f: ExceptionListFilter): Q<O> {
  if (f.status === 'unresolved') q = q.where('status', '<>', 'resolved');
  else if (f.status !== 'all') q = q.where('status', '=', f.status);
  if (f.severity) q = q.where('severity', '=', f.severity);
  if (f.warehouse) q = q.where('warehouse', '=', f.warehouse);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.assignee === 'none') q = q.where('assignee_id', 'is', null);
  else if (f.assignee) q = q.where('assignee_id', '=', f.assignee);
  return q;
}

const SORTS: Record<ExceptionListFilter['sort'], [keyof ExceptionTables['exception_items'], 'asc' | 'desc'][]> = {
  severity: [
    ['severity_rank', 'asc'],
    ['sla_due_at', 'asc'],
  ],
  age: [['began_at', 'asc']],
  sla: [['sla_due_at', 'asc']],
  value: [['value_at_risk', 'desc']],
  updated: [['updated_at', 'desc']],
};

const isoOf = (column: string) => sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One ExceptionItem as JSON, built by the database: at 10,000 rows this is what keeps the list fast. */
const ITEM_JSON = sql<string>`json_build_object(
  'id', id, 'queue', queue, 'rule', rule, 'dedupeKey', dedupe_key, 'severity', severity, 'status', status,
  'summary', summary, 'valueAtRisk', value_at_risk, 'currency', currency, 'entities', entities,
  'warehouse', warehouse, 'channel', channel, 'openedAt', ${isoOf('opened_at')}, 'slaDueAt', ${isoOf('sla_due_at')},
  'assigneeId', assignee_id, 'assigneeName', assignee_name, 'snoozedUntil', ${isoOf('snoozed_until')},
  'resolvedAt', ${isoOf('resolved_at')}, 'resolution', resolution, 'updatedAt', ${isoOf('updated_at')})`;

export interface ExceptionListJson {
  /** A JSON array of ExceptionItem, in the requested order, ready to send. */
  itemsJson: string;
  counts: Record<ExceptionQueue, number>;
}

/** The list as JSON text straight from the database, for the API to send without re-encoding. */
export async function listExceptionsJson(db: Kysely<object>, f: ExceptionListFilter): Promise<ExceptionListJson> {
  const t = db.withTables<ExceptionTables>();
  const order = [...SORTS[f.sort], ['id', 'asc'] as const];
  let inner = filtered(t.selectFrom('exception_items').select([ITEM_JSON.as('j'), ...order.map(([c]) => c)]), f);
  if (f.queue) inner = inner.where('queue', '=', f.queue);
  for (const [c, dir] of order) inner = inner.orderBy(c, dir);
  const aggregated = sql<{ body: string }>`select coalesce(json_agg(l.j order by ${sql.join(
    order.map(([c, dir]) => sql`${sql.ref(`l.${c}`)} ${sql.raw(dir)}`),
  )}), '[]')::text as body from (${inner.limit(f.limit)}) as l`;
  const counted = filtered(
    t.selectFrom('exception_items').select(['queue', (eb) => eb.fn.countAll<string>().as('n')]),
    f,
  ).groupBy('queue');
  const [{ rows }, countRows] = await Promise.all([aggregated.execute(db), counted.execute()]);
  const counts = Object.fromEntries(exceptionQueues.map((q) => [q, 0])) as Record<ExceptionQueue, number>;
  for (const r of countRows) if (r.queue in counts) counts[r.queue as ExceptionQueue] = Number(r.n);
  return { itemsJson: rows[0]?.body ?? '[]', counts };
}

/** The list as checked ExceptionItems. */
export async function listExceptions(db: Kysely<object>, f: ExceptionListFilter): Promise<ExceptionList> {
  const { itemsJson, counts } = await listExceptionsJson(db, f);
  return { items: exceptionItemSchema.array().parse(JSON.parse(itemsJson)), counts };
}
