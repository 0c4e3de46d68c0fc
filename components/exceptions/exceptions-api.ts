'use client';

import { z } from 'zod';
import { goToSignIn } from '@/components/live/use-live-feed';
import { actionOutcomeSchema, type ActionOutcome, type ActionRequest } from '@/lib/actions/action-requests';
import { exceptionItemSchema } from '@/lib/exceptions/exception-item';
import { exceptionPageSchema, type ExceptionPage } from '@/lib/exceptions/exception-feed';
import type { ExceptionView } from '@/lib/exceptions/exception-view';

/** A request the server refused or could not answer, with the server's own words when it sent some. */
export class RequestFailedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RequestFailedError';
  }
}

const errorBodySchema = z.object({ error: z.string() });

/** A same-origin JSON request whose answer is checked with `schema`; errors carry the server's message. */
export async function call<T>(
  url: string,
  schema: z.ZodType<T, unknown>,
  init?: { method: 'POST' | 'PUT'; body: unknown },
): Promise<T> {
  const response = await fetch(url, {
    cache: 'no-store',
    credentials: 'same-origin',
    ...(init
      ? { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : {}),
  });
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401) {
    goToSignIn();
    throw new RequestFailedError('Your session has ended. Sign in again.', 401);
  }
  if (!response.ok) {
    const error = errorBodySchema.safeParse(body);
    throw new RequestFailedError(
      error.success ? error.data.error : `The server answered HTTP ${response.status}. Try again shortly.`,
      response.status,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new RequestFailedError('The server sent an answer this page cannot read. Reload the page.', response.status);
  return parsed.data;
}

/** One page of a view: the first when `cursor` is null (with counts and filter values), else the one after it. */
export function fetchQueuePage(view: ExceptionView, cursor: string | null, limit?: number): Promise<ExceptionPage> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(view)) if (value !== undefined) params.set(name, String(value));
  if (cursor) params.set('cursor', cursor);
  if (limit) params.set('limit', String(limit));
  return call(`/api/exceptions?${params.toString()}`, exceptionPageSchema);
}

const detailSchema = z.object({
  item: exceptionItemSchema,
  comments: z.array(z.object({ id: z.number(), authorName: z.string(), body: z.string(), createdAt: z.string() })),
  history: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      actorName: z.string().nullable(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      note: z.string().nullable(),
    }),
  ),
});
export type ExceptionDetail = z.infer<typeof detailSchema>;

export function fetchExceptionDetail(id: string): Promise<ExceptionDetail> {
  return call(`/api/exceptions/${encodeURIComponent(id)}`, detailSchema);
}

export function addComment(id: string, body: string): Promise<unknown> {
  return call(`/api/exceptions/${encodeURIComponent(id)}/comments`, z.unknown(), { method: 'POST', body: { body } });
}

const refusalsSchema = z.array(z.object({ id: z.string(), message: z.string(), assigneeName: z.string().nullable() }));
const bulkResultSchema = z.union([
  z
    .object({ claimed: z.array(exceptionItemSchema), refused: refusalsSchema })
    .transform((r) => ({ done: r.claimed, refused: r.refused })),
  z
    .object({ snoozed: z.array(exceptionItemSchema), refused: refusalsSchema })
    .transform((r) => ({ done: r.snoozed, refused: r.refused })),
  z
    .object({ resolved: z.array(exceptionItemSchema), refused: refusalsSchema })
    .transform((r) => ({ done: r.resolved, refused: r.refused })),
  z
    .object({ released: z.array(exceptionItemSchema), refused: refusalsSchema })
    .transform((r) => ({ done: r.released, refused: r.refused })),
  z
    .object({ reassigned: z.array(exceptionItemSchema), refused: refusalsSchema })
    .transform((r) => ({ done: r.reassigned, refused: r.refused })),
]);
export type BulkResult = z.output<typeof bulkResultSchema>;

export type WorkflowStep =
  | { step: 'claim' }
  | { step: 'snooze'; until: string }
  | { step: 'resolve'; note?: string }
  | { step: 'release' }
  | { step: 'reassign'; toUserId: string; expectedAssigneeId?: string };

export function applyWorkflowStep(ids: string[], s: WorkflowStep): Promise<BulkResult> {
  const { step, ...rest } = s;
  return call(`/api/exceptions/${step}`, bulkResultSchema, { method: 'POST', body: { ids, ...rest } });
}

const matchingResultSchema = z
  .object({
    matched: z.number(),
    claimed: z.number().optional(),
    snoozed: z.number().optional(),
    resolved: z.number().optional(),
    skipped: z.array(z.object({ reason: z.string(), assigneeName: z.string().nullable(), count: z.number() })),
  })
  .transform((r) => ({ matched: r.matched, done: r.claimed ?? r.snoozed ?? r.resolved ?? 0, skipped: r.skipped }));
export type MatchingResult = z.output<typeof matchingResultSchema>;

/** Claim, snooze or resolve every item the view matches on the server, loaded here or not. */
export function applyWorkflowToMatching(
  view: ExceptionView,
  s: Extract<WorkflowStep, { step: 'claim' | 'snooze' | 'resolve' }>,
): Promise<MatchingResult> {
  const { step, ...rest } = s;
  const { sort: _sort, dir: _dir, ...matching } = view;
  return call(`/api/exceptions/${step}`, matchingResultSchema, { method: 'POST', body: { matching, ...rest } });
}

const assigneesSchema = z.object({ people: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })) });
export type Assignee = z.infer<typeof assigneesSchema>['people'][number];

/** The people a claimed item can be handed to. */
export async function fetchAssignees(): Promise<Assignee[]> {
  return (await call('/api/exceptions/assignees', assigneesSchema)).people;
}

export function performAction(request: ActionRequest): Promise<ActionOutcome> {
  return call('/api/actions', actionOutcomeSchema, { method: 'POST', body: request });
}

const coreViewSchema = z.object({
  kind: z.enum(['order', 'refund', 'return']),
  view: z.object({ status: z.string() }).passthrough(),
});
export type CoreView = z.infer<typeof coreViewSchema>;

/** The entity as the core holds it now; null when the core does not know it any more. */
export async function fetchCoreView(kind: 'order' | 'refund' | 'return', id: string): Promise<CoreView | null> {
  try {
    return await call(`/api/core/${kind}/${encodeURIComponent(id)}`, coreViewSchema);
  } catch (err) {
    if (err instanceof RequestFailedError && err.status === 404) return null;
    throw err;
  }
}

const returnLinesSchema = z.object({ lines: z.array(z.object({ sku: z.string(), qty: z.number() })) });

/** A return's lines from its core view, for the disposition form. */
export function returnLinesOf(view: CoreView | null | undefined): { sku: string; qty: number }[] {
  if (view?.kind !== 'return') return [];
  const parsed = returnLinesSchema.safeParse(view.view);
  return parsed.success ? parsed.data.lines : [];
}
