import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { exceptionItemSchema, exceptionQueues, type ExceptionItem, type ExceptionQueue } from './exception-item';
import type { ExceptionFacets } from './exception-feed';
import { exceptionViewSchema, SORT_SPECS, storedDirection, type ExceptionView } from './exception-view';
import type { ViewExtras } from './view-extras-cache';
import type { ExceptionTables } from './workflow-schema';

/** Three screens of the table: a page's JSON is built by the store, so its size is its cost. */
export const PAGE_SIZE = 100;

/** A list request as it arrives in a query string: the view, where to continue, how many. */
export const exceptionListFilterSchema = exceptionViewSchema.extend({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(PAGE_SIZE),
});
export type ExceptionListFilter = z.infer<typeof exceptionListFilterSchema>;

export class BadCursorError extends Error {
  constructor() {
    super('cursor: not one this list handed out (it belongs to another sort, or was altered); reload the queue.');
    this.name = 'BadCursorError';
  }
}

type Q<O> = SelectQueryBuilder<ExceptionTables, 'exception_items', O>;

/** The view's filters, the queue excepted; the same rules as `matchesView`. */
function filtered<O>(q: Q<O>, f: ExceptionView): Q<O> {
  if (f.status === 'unresolved') q = q.where('status', '<>', 'resolved');
  else if (f.status !== 'all') q = q.where('status', '=', f.status);
  if (f.severity) q = q.where('severity', '=', f.severity);
  if (f.warehouse) q = q.where('warehouse', '=', f.warehouse);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.assignee === 'none') q = q.where('assignee_id', 'is', null);
  else if (f.assignee) q = q.where('assignee_id', '=', f.assignee);
  if (f.breached) q = q.where('breached_at', f.breached === 'yes' ? 'is not' : 'is', null);
  return q;
}

const isoOf = (column: string) => sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One ExceptionItem as JSON text, built by the database: the route sends it without re-encoding. */
const ITEM_JSON = sql<string>`json_build_object(
  'id', id, 'queue', queue, 'rule', rule, 'dedupeKey', dedupe_key, 'severity', severity, 'status', status,
  'summary', summary, 'valueAtRisk', value_at_risk, 'currency', currency, 'entities', entities,
  'warehouse', warehouse, 'channel', channel, 'openedAt', ${isoOf('opened_at')}, 'slaDueAt', ${isoOf('sla_due_at')},
  'assigneeId', assignee_id, 'assigneeName', assignee_name, 'snoozedUntil', ${isoOf('snoozed_until')},
  'resolvedAt', ${isoOf('resolved_at')}, 'resolution', resolution, 'updatedAt', ${isoOf('updated_at')},
  'breachedAt', ${isoOf('breached_at')}, 'escalatedFrom', escalated_from)::text`;

/** Ids compare byte-wise on every database, so the browser's `<` agrees with the page order. */
const ID = sql`id collate "C"`;

/** The keys of a row, last the id, as JSON text: the cursor of the page that ends with it. */
function keysJson(f: ExceptionView): RawBuilder<string> {
  return sql<string>`json_build_array(${sql.join(SORT_SPECS[f.sort].keys.map((k) => sql.ref(k.column)))}, id)::text`;
}

const cursorSchema = z.array(z.union([z.number(), z.string()]));

/** Rows strictly after the cursor's row in the view's order: one row comparison, index-friendly. */
function after(f: ExceptionView, cursor: string): RawBuilder<boolean> {
  const keys = SORT_SPECS[f.sort].keys;
  let values: (string | number)[];
  try {
    values = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new BadCursorError();
  }
  if (values.length !== keys.length + 1 || typeof values[keys.length] !== 'string') throw new BadCursorError();
  const bound = keys.map((k, i) => sql`cast(${values[i]} as ${sql.raw(k.type)})`);
  const op = sql.raw(storedDirection(f) === 'asc' ? '>' : '<');
  return sql<boolean>`(${sql.join([...keys.map((k) => sql.ref(k.column)), ID])}) ${op} (${sql.join([...bound, sql`${values[keys.length]}`])})`;
}

export interface ExceptionPageJson {
  /** A JSON array of ExceptionItem, in the view's order, ready to send. */
  itemsJson: string;
  nextCursor: string | null;
  /** First pages only: the tab counts under the view's filters, and the filter bar's values. */
  counts?: Record<ExceptionQueue, number>;
  facets?: ExceptionFacets;
}

/**
 * One page of the view, keyset-paged: the partial indexes of the workflow schema serve each sort,
 * so a page costs the same at the top of 10,000 items as at the bottom. A first page takes its
 * extras from `extras` (the web's cache of them), read from the store when none is given.
 */
export async function listExceptionPage(
  db: Kysely<object>,
  f: ExceptionListFilter,
  extras: (view: ExceptionView) => Promise<ViewExtras> = (view) => readViewExtras(db, view),
): Promise<ExceptionPageJson> {
  const t = db.withTables<ExceptionTables>();
  const dir = storedDirection(f);
  let q = filtered(t.selectFrom('exception_items').select([ITEM_JSON.as('j'), keysJson(f).as('k')]), f);
  if (f.queue) q = q.where('queue', '=', f.queue);
  if (f.cursor) q = q.where(after(f, f.cursor));
  for (const k of SORT_SPECS[f.sort].keys) q = q.orderBy(k.column, dir);
  const rows = await q.orderBy(sql`${ID} ${sql.raw(dir)}`).limit(f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const result: ExceptionPageJson = {
    itemsJson: `[${page.map((r) => r.j).join(',')}]`,
    nextCursor: rows.length > f.limit && last ? Buffer.from(last.k, 'utf8').toString('base64url') : null,
  };
  if (f.cursor) return result;
  return { ...result, ...(await extras(f)) };
}

/** A view's tab counts and, for a queue, its filter values, as the store holds them now. */
export async function readViewExtras(db: Kysely<object>, view: ExceptionView): Promise<ViewExtras> {
  const [counts, facets] = await Promise.all([countByQueue(db, view), view.queue ? facetsOf(db, view.queue) : undefined]);
  return { counts, ...(facets ? { facets } : {}) };
}

/** Matching items per queue under the view's filters except the queue: the tab counts. */
export async function countByQueue(db: Kysely<object>, f: ExceptionView): Promise<Record<ExceptionQueue, number>> {
  const rows = await filtered(
    db
      .withTables<ExceptionTables>()
      .selectFrom('exception_items')
      .select(['queue', (eb) => eb.fn.countAll<string>().as('n')]),
    f,
  )
    .groupBy('queue')
    .execute();
  const counts = Object.fromEntries(exceptionQueues.map((q) => [q, 0])) as Record<ExceptionQueue, number>;
  for (const r of rows) if (r.queue in counts) counts[r.queue as ExceptionQueue] = Number(r.n);
  return counts;
}

/** The warehouses, channels and assignees among a queue's unresolved items, in one pass. */
async function facetsOf(db: Kysely<object>, queue: ExceptionQueue): Promise<ExceptionFacets> {
  const { rows } = await sql<{ facet: number; value: string; name: string | null }>`
    select grouping(warehouse, channel, assignee_id) as facet, coalesce(warehouse, channel, assignee_id) as value,
           max(assignee_name) as name
    from exception_items where queue = ${queue} and status <> 'resolved'
    group by grouping sets ((warehouse), (channel), (assignee_id))
    having coalesce(warehouse, channel, assignee_id) is not null
    order by value`.execute(db);
  // grouping() sets a bit per column left out: 3 = warehouse kept, 5 = channel kept, 6 = assignee kept.
  const of = (facet: number) => rows.filter((r) => Number(r.facet) === facet);
  return {
    warehouses: of(3).map((r) => r.value),
    channels: of(5).map((r) => r.value),
    assignees: of(6).map((r) => ({ id: r.value, name: r.name ?? r.value })),
  };
}

/** The ids of every item the view matches, in no order, at most `limit`: what "select all matching" acts on. */
export async function matchingIds(db: Kysely<object>, view: ExceptionView & { queue: ExceptionQueue }, limit: number): Promise<string[]> {
  const t = db.withTables<ExceptionTables>();
  const rows = await filtered(t.selectFrom('exception_items').select('id').where('queue', '=', view.queue), view)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** A page as checked ExceptionItems, for code that reads rather than forwards it. */
export async function readExceptionPage(
  db: Kysely<object>,
  f: ExceptionListFilter,
): Promise<Omit<ExceptionPageJson, 'itemsJson'> & { items: ExceptionItem[] }> {
  const { itemsJson, ...rest } = await listExceptionPage(db, f);
  return { ...rest, items: exceptionItemSchema.array().parse(JSON.parse(itemsJson)) };
}
