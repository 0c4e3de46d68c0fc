import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasIngestKey } from './bearer-key';
import { readBody } from './read-body';
import { RequestError } from './request-error';
import { coreCallArgs, coreCallSchema } from '@/lib/core/core-calls';
import type { ConnectedCore } from '@/lib/core/core-slot';
import { CoreRefusal } from '@/lib/core/transactional-core';

/**
 * `POST /internal/core` on the process that runs the core: a web process in split mode sends each
 * core call here, authenticated by the secret both share. The tower's own rules (roles,
 * idempotency keys, the audit row) ran in the web before the call, as they do in embedded mode;
 * this only runs the call and answers what the core said.
 */
export async function handleCoreCall(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { secret: string; core: () => ConnectedCore | undefined },
): Promise<void> {
  try {
    if (req.method !== 'POST') throw new RequestError(405, 'use POST');
    if (!hasIngestKey(req.headers.authorization, deps.secret))
      throw new RequestError(401, 'missing or wrong TOWER_INTERNAL_SECRET');
    const call = coreCallSchema.safeParse(JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8')));
    if (!call.success) throw new RequestError(400, `not a core call: ${call.error.issues[0]?.message ?? 'invalid'}`);
    const args = coreCallArgs[call.data.method].safeParse(call.data.args);
    if (!args.success)
      throw new RequestError(
        400,
        `${call.data.method}: ${args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const core = deps.core();
    if (!core) {
      return answer(res, 503, {
        refusal: {
          code: 'unavailable',
          message:
            'No transactional core runs in the ingest process (its sandbox is off: SANDBOX_RATE=0). Start it or connect a core, then retry.',
        },
      });
    }
    const method = core[call.data.method] as (...a: unknown[]) => Promise<unknown>;
    const result = await method.apply(core, args.data);
    answer(res, 200, { result: result ?? null });
  } catch (err) {
    if (err instanceof RequestError) return answer(res, err.status, { error: err.message });
    if (err instanceof SyntaxError) return answer(res, 400, { error: `the body is not JSON: ${err.message}` });
    if (err instanceof CoreRefusal) return answer(res, 409, { refusal: { code: err.code, message: err.message } });
    console.error('[core] a forwarded call failed:', err instanceof Error ? err.message : err);
    answer(res, 500, { error: err instanceof Error ? err.message : String(err) });
  }
}

function answer(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
