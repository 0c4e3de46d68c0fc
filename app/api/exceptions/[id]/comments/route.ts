import { z } from 'zod';
import { addExceptionComment, ExceptionNotFoundError } from '@/lib/exceptions/exception-queries';
import { badRequest, failed, guard, readJson } from '../../exception-route-support';

export const dynamic = 'force-dynamic';

const bodySchema = z.object({ body: z.string().trim().min(1).max(5_000) });

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const g = await guard(request, 'act');
  if ('response' in g) return g.response;
  const body = bodySchema.safeParse(await readJson(request));
  if (!body.success) return badRequest('Send {body: "your comment"} with 1 to 5,000 characters.');
  const { id } = await params;
  try {
    const comment = await addExceptionComment(
      g.db,
      id,
      { id: g.session.user.id, name: g.session.user.name },
      body.data.body,
    );
    return Response.json(comment, { status: 201 });
  } catch (err) {
    if (err instanceof ExceptionNotFoundError) return Response.json({ error: err.message }, { status: 404 });
    return failed('exceptions/[id]/comments', err);
  }
}
