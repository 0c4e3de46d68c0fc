import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ActionTables } from './action-tables';

/** The append-only record of every action attempt: who, when, what, on what, and what came of it. */
export type AuditOutcome = 'done' | 'awaiting_approval' | 'refused' | 'forbidden' | 'unavailable' | 'failed';

export interface AuditEntry {
  actor: { userId: string; name: string; role: string };
  action: string;
  entity: { type: string; id: string };
  exceptionId: string | null;
  idempotencyKey: string | null;
  payload: unknown;
  before: unknown;
  after: unknown;
  /** The core's answer or refusal, as it gave it. */
  answer: unknown;
  outcome: AuditOutcome;
  message: string;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function appendAudit(db: Kysely<object>, e: AuditEntry): Promise<string> {
  const row = await db
    .withTables<ActionTables>()
    .insertInto('action_audit')
    .values({
      actor_id: e.actor.userId,
      actor_name: e.actor.name,
      actor_role: e.actor.role,
      action: e.action,
      entity_type: e.entity.type,
      entity_id: e.entity.id,
      exception_id: e.exceptionId,
      idempotency_key: e.idempotencyKey,
      payload: json(e.payload) ?? '{}',
      before: json(e.before),
      after: json(e.after),
      answer: json(e.answer),
      outcome: e.outcome,
      message: e.message,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

const parsedJson = z.preprocess((v) => (typeof v === 'string' ? JSON.parse(v) : v), z.unknown());
export const auditRowSchema = z.object({
  id: z.coerce.string(),
  at: z.coerce.date().transform((d) => d.toISOString()),
  actor_id: z.string(),
  actor_name: z.string(),
  actor_role: z.string(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  exception_id: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  payload: parsedJson,
  before: parsedJson,
  after: parsedJson,
  answer: parsedJson,
  outcome: z.string(),
  message: z.string(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditFilterSchema = z.object({
  actor: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
  entity: z.string().max(128).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

/** Newest first. `actor` matches the user id or name; `entity` the entity id. */
export async function listAudit(db: Kysely<object>, filter: AuditFilter): Promise<{ rows: AuditRow[]; page: number; pageSize: number; hasMore: boolean }> {
  const f = auditFilterSchema.parse(filter);
  let q = db.withTables<ActionTables>().selectFrom('action_audit').selectAll();
  if (f.actor) {
    const actor = f.actor;
    q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
  }
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entity) q = q.where('entity_id', '=', f.entity);
  const raw = await q
    .orderBy('id', 'desc')
    .limit(f.pageSize + 1)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const rows = raw.slice(0, f.pageSize).map((r) => auditRowSchema.parse(r));
  return { rows, page: f.page, pageSize: f.pageSize, hasMore: raw.length > f.pageSize };
}
