import type { Kysely, SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { exceptionQueues, exceptionStatuses, severities, type ExceptionItem, type ExceptionQueue } from './exception-item';
import { toExceptionItem } from './exception-row';
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

export async function listExceptions(db: Kysely<object>, f: ExceptionListFilter): Promise<ExceptionList> {
  const t = db.withTables<ExceptionTables>();
  let items = filtered(t.selectFrom('exception_items').selectAll(), f);
  if (f.queue) items = items.where('queue', '=', f.queue);
  switch (f.sort) {
    case 'severity':
      items = items.orderBy('severity_rank').orderBy('sla_due_at');
      break;
    case 'age':
      items = items.orderBy('began_at');
      break;
    case 'sla':
      items = items.orderBy('sla_due_at');
      break;
    case 'value':
      items = items.orderBy('value_at_risk', 'desc');
      break;
    case 'updated':
      items = items.orderBy('updated_at', 'desc');
      break;
  }
  const counted = filtered(t.selectFrom('exception_items').select(['queue', (eb) => eb.fn.countAll<string>().as('n')]), f).groupBy('queue');
  const [rows, countRows] = await Promise.all([items.orderBy('id').limit(f.limit).execute(), counted.execute()]);
  const counts = Object.fromEntries(exceptionQueues.map((q) => [q, 0])) as Record<ExceptionQueue, number>;
  for (const r of countRows) if (r.queue in counts) counts[r.queue as ExceptionQueue] = Number(r.n);
  return { items: rows.map(toExceptionItem), counts };
}
