import { sql, type Kysely } from 'kysely';
import type { EntityRef, ExceptionItem } from './exception-item';
import { toExceptionItem } from './exception-row';
import type { ExceptionTables } from './workflow-schema';

/** More than any one entity gathers; the page says when the list was cut. */
export const EXCEPTIONS_PER_ENTITY = 200;

/**
 * Every exception, open or resolved, that links to `entity` (first or among the others it names),
 * newest first. The containment test uses the GIN index on `entities`.
 */
export async function listExceptionsForEntity(db: Kysely<object>, entity: EntityRef): Promise<ExceptionItem[]> {
  const rows = await db
    .withTables<ExceptionTables>()
    .selectFrom('exception_items')
    .selectAll()
    .where(sql<boolean>`entities @> ${JSON.stringify([{ kind: entity.kind, id: entity.id }])}::jsonb`)
    .orderBy('opened_at', 'desc')
    .orderBy('id')
    .limit(EXCEPTIONS_PER_ENTITY)
    .execute();
  return rows.map(toExceptionItem);
}
