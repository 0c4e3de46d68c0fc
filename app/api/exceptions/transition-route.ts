import { z } from 'zod';
import { exceptionQueues, type ExceptionItem } from '@/lib/exceptions/exception-item';
import { transitionExceptions, type TransitionRequest } from '@/lib/exceptions/exception-transitions';
import { exceptionViewSchema } from '@/lib/exceptions/exception-view';
import { TooManyMatchingError, transitionMatching } from '@/lib/exceptions/transition-matching';
import { announceChange, badRequest, failed, guard, readJson } from './exception-route-support';

const bodySchema = z
  .object({
    ids: z.array(z.string().min(1).max(128)).min(1).max(5_000).optional(),
    /** Every item this view matches on the server, loaded in the browser or not ("select all N matching"). */
    matching: exceptionViewSchema
      .omit({ sort: true, dir: true })
      .extend({ queue: z.enum(exceptionQueues) })
      .optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(2_000).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.matching === undefined), {
    message: 'send either ids or matching, not both',
  });

/**
 * claim / snooze / resolve: by ids, answered per id as `{[done]: items, refused}`; or by view
 * (`matching`), answered in counts as `{matched, [done]: n, skipped: [{reason, assigneeName, count}]}`.
 */
export function transitionRoute(kind: TransitionRequest['kind'], doneKey: 'claimed' | 'snoozed' | 'resolved') {
  return async function POST(request: Request): Promise<Response> {
    const g = await guard(request, 'act');
    if ('response' in g) return g.response;
    const body = bodySchema.safeParse(await readJson(request));
    if (!body.success)
      return badRequest(
        `Send {ids: [...] or matching: {queue, filters…}${kind === 'snooze' ? ', until: ISO time' : ''}, note?}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
      );
    let transition: TransitionRequest;
    if (kind === 'snooze') {
      const until = body.data.until ? new Date(body.data.until) : null;
      if (!until || until.getTime() <= Date.now()) return badRequest('A snooze needs `until`, a time in the future.');
      transition = { kind, until };
    } else transition = { kind };
    const actor = { id: g.session.user.id, name: g.session.user.name };
    const note = body.data.note ?? null;
    // A resolved item leaves every view; anything else changes in place.
    const announce = (done: ExceptionItem[]) =>
      kind === 'resolve'
        ? announceChange(
            g.db,
            [],
            done.map((i) => i.id),
          )
        : announceChange(g.db, done, []);
    try {
      if (body.data.matching) {
        const view = { ...body.data.matching, sort: 'severity' as const, dir: 'asc' as const };
        const outcome = await transitionMatching(g.db, view, actor, transition, note);
        await announce(outcome.done);
        return Response.json({ matched: outcome.matched, [doneKey]: outcome.done.length, skipped: outcome.skipped });
      }
      const outcome = await transitionExceptions(g.db, body.data.ids ?? [], actor, transition, note);
      await announce(outcome.done);
      return Response.json({ [doneKey]: outcome.done, refused: outcome.refused });
    } catch (err) {
      if (err instanceof TooManyMatchingError) return badRequest(err.message);
      return failed(`exceptions/${kind}`, err);
    }
  };
}
