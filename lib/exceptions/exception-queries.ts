import { sql, type Kysely } from 'kysely';
import { exceptionQueues, type ExceptionItem, type ExceptionQueue } from './exception-item';
import { toExceptionItem } from './exception-row';
import type { ExceptionTables } from './workflow-schema';

export interface ExceptionComment {
  id: number;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: string;
}

export interface ExceptionHistoryEntry {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
}

export interface ExceptionDetail {
  item: ExceptionItem;
  comments: ExceptionComment[];
  history: ExceptionHistoryEntry[];
}

export async function getExceptionDetail(db: Kysely<object>, id: string): Promise<ExceptionDetail | null> {
  const t = db.withTables<ExceptionTables>();
  const row = await t.selectFrom('exception_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [comments, history] = await Promise.all([
    t.selectFrom('exception_comments').selectAll().where('exception_id', '=', id).orderBy('id').execute(),
    t.selectFrom('exception_history').selectAll().where('exception_id', '=', id).orderBy('id').execute(),
  ]);
  return {
    item: toExceptionItem(row),
    comments: comments.map((c) => ({
      id: Number(c.id),
      authorId: c.author_id,
      authorName: c.author_name,
      body: c.body,
      createdAt: new Date(c.created_at).toISOString(),
    })),
    history: history.map((h) => ({
      id: Number(h.id),
      at: new Date(h.at).toISOString(),
      actorId: h.actor_id,
      actorName: h.actor_name,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      note: h.note,
    })),
  };
}

export class ExceptionNotFoundError extends Error {
  constructor(id: string) {
    super(`No exception has the id ${id}; it may have been removed. Refresh the queue.`);
    this.name = 'ExceptionNotFoundError';
  }
}

export async function addExceptionComment(
  db: Kysely<object>,
  id: string,
  author: { id: string; name: string },
  body: string,
  now: Date = new Date(),
): Promise<ExceptionComment> {
  const t = db.withTables<ExceptionTables>();
  const exists = await t.selectFrom('exception_items').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw new ExceptionNotFoundError(id);
  const row = await t
    .insertInto('exception_comments')
    .values({ exception_id: id, author_id: author.id, author_name: author.name, body, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    id: Number(row.id),
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Unresolved items per queue, every queue present: the tab counts. */
export async function countOpenByQueue(db: Kysely<object>): Promise<Record<ExceptionQueue, number>> {
  const rows = await db
    .withTables<ExceptionTables>()
    .selectFrom('exception_items')
    .select(['queue', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', '<>', 'resolved')
    .groupBy('queue')
    .execute();
  const counts = Object.fromEntries(exceptionQueues.map((q) => [q, 0])) as Record<ExceptionQueue, number>;
  for (const r of rows) if (r.queue in counts) counts[r.queue as ExceptionQueue] = Number(r.n);
  return counts;
}

/**
 * Refreshes the planner's statistics for the items table. PostgreSQL's autovacuum does this on a
 * server; embedded PGlite has none, and without statistics a queue page sorts the whole queue
 * instead of reading its sort's index, and the history's foreign-key checks, planned once while
 * the table was small, scan it for every row inserted.
 */
export async function refreshExceptionStatistics(db: Kysely<object>): Promise<void> {
  await sql`analyze exception_items`.execute(db);
}
