import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ActionError } from './action-errors';
import type { ActionTables } from './action-tables';

/**
 * One effect per idempotency key. The key is inserted before the core is called; the primary key
 * decides the single winner among concurrent requests, and the losers wait for its stored answer.
 */
export type StoredResponse = { ok: true; body: unknown } | { ok: false; code: ActionError['code']; message: string };

export type Claim = { kind: 'won' } | { kind: 'replay'; response: StoredResponse };

const WAIT_STEP_MS = 25;
const WAIT_LIMIT_MS = 20_000;

/** Same action, payload and actor give the same hash; key order in the payload does not matter. */
export function requestHash(o: { action: string; payload: unknown; actorId: string }): string {
  return createHash('sha256').update(stableJson(o)).digest('hex');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export async function claimKey(db: Kysely<object>, o: { key: string; hash: string; actorId: string; action: string }): Promise<Claim> {
  const t = db.withTables<ActionTables>();
  const inserted = await t
    .insertInto('action_idempotency')
    .values({ key: o.key, request_hash: o.hash, actor_id: o.actorId, action: o.action, state: 'running', http_status: null, response: null, completed_at: null })
    .onConflict((c) => c.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { kind: 'won' };
  const started = Date.now();
  for (;;) {
    const row = await t.selectFrom('action_idempotency').select(['request_hash', 'state', 'response', 'action']).where('key', '=', o.key).executeTakeFirst();
    // The winner gave the key back (the core was unavailable): try again as a new request.
    if (!row) return claimKey(db, o);
    if (row.request_hash !== o.hash) {
      throw new ActionError(
        'idempotency_conflict',
        `This idempotency key was already used for a different request (${row.action}); a retry must send exactly the same action and payload, and a new action needs a new key.`,
      );
    }
    if (row.state === 'done') return { kind: 'replay', response: parseStored(row.response) };
    if (Date.now() - started > WAIT_LIMIT_MS) throw new ActionError('in_progress', 'The same request is still being processed; retry in a few seconds to get its answer.');
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
}

const storedSchema = z.preprocess(
  (v) => (typeof v === 'string' ? JSON.parse(v) : v),
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), body: z.unknown() }),
    z.object({ ok: z.literal(false), code: z.enum(['bad_request', 'forbidden', 'not_found', 'invalid_state', 'idempotency_conflict', 'in_progress', 'unavailable']), message: z.string() }),
  ]),
);

function parseStored(v: unknown): StoredResponse {
  return storedSchema.parse(v);
}

export async function completeKey(db: Kysely<object>, key: string, status: number, response: StoredResponse): Promise<void> {
  await db
    .withTables<ActionTables>()
    .updateTable('action_idempotency')
    .set({ state: 'done', http_status: status, response: JSON.stringify(response), completed_at: new Date() })
    .where('key', '=', key)
    .execute();
}

/** Frees the key so a retry runs again: for answers that say nothing about the request itself (core down). */
export async function releaseKey(db: Kysely<object>, key: string): Promise<void> {
  await db.withTables<ActionTables>().deleteFrom('action_idempotency').where('key', '=', key).where('state', '=', 'running').execute();
}
