import { z } from 'zod';
import { transitionExceptions, type TransitionRequest } from '@/lib/exceptions/exception-transitions';
import { announceChange, badRequest, failed, guard, readJson } from './exception-route-support';

const bodySchema = z.object({
  ids: z.array(z.string().min(1).max(128)).min(1).max(5_000),
  until: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(2_000).optional(),
});

/** claim / snooze / resolve: the same request, answered per id as `{[done]: items, refused}`. */
export function transitionRoute(kind: TransitionRequest['kind'], doneKey: 'claimed' | 'snoozed' | 'resolved') {
  return async function POST(request: Request): Promise<Response> {
    const g = await guard(request, 'act');
    if ('response' in g) return g.response;
    const body = bodySchema.safeParse(await readJson(request));
    if (!body.success)
      return badRequest(
        `Send {ids: [...]${kind === 'snooze' ? ', until: ISO time' : ''}, note?}: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    let transition: TransitionRequest;
    if (kind === 'snooze') {
      const until = body.data.until ? new Date(body.data.until) : null;
      if (!until || until.getTime() <= Date.now()) return badRequest('A snooze needs `until`, a time in the future.');
      transition = { kind, until };
    } else transition = { kind };
    try {
      const outcome = await transitionExceptions(
        g.db,
        body.data.ids,
        { id: g.session.user.id, name: g.session.user.name },
        transition,
        body.data.note ?? null,
      );
      await announceChange(
        g.db,
        kind === 'resolve' ? [] : outcome.done,
        kind === 'resolve' ? outcome.done.map((i) => i.id) : [],
      );
      return Response.json({ [doneKey]: outcome.done, refused: outcome.refused });
    } catch (err) {
      return failed(`exceptions/${kind}`, err);
    }
  };
}
