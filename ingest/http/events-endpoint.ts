import type { IncomingMessage, ServerResponse } from 'node:http';
import { IngestBusyError, IngestClosedError, IngestStoreError, type IngestService } from '../ingest-service';
import { hasIngestKey } from './bearer-key';
import { parseEventsBody } from './parse-events-body';
import { readBody } from './read-body';
import { RequestError } from './request-error';

export interface EventsEndpointDeps {
  ingest: IngestService;
  ingestKey: string;
  maxBodyBytes?: number;
  maxEvents?: number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_EVENTS = 5_000;

/**
 * `POST /api/v1/events` as a plain Node handler, so ingest can run without the web. Answers 200
 * when every event was accepted, 207 listing the rejected ones, and JSON errors that say what to
 * change; "accepted" always means durably stored.
 */
export async function handleEventsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: EventsEndpointDeps,
): Promise<void> {
  try {
    if (req.method !== 'POST')
      throw new RequestError(405, `use POST to send events (got ${req.method ?? 'no method'})`);
    if (!hasIngestKey(req.headers.authorization, deps.ingestKey)) {
      throw new RequestError(401, 'missing or invalid ingest key; send "Authorization: Bearer <ingest key>"');
    }
    const body = await readBody(req, deps.maxBodyBytes ?? MAX_BODY_BYTES);
    const { items, textOf } = parseEventsBody(body, req.headers['content-type']);
    const maxEvents = deps.maxEvents ?? MAX_EVENTS;
    if (items.length > maxEvents)
      throw new RequestError(413, `the body holds ${items.length} events; send at most ${maxEvents} per request`);
    const result = await deps.ingest.submit(items, 'http', { payloadText: textOf });
    if (result.rejected.length === 0)
      return answer(res, 200, { accepted: result.accepted, duplicates: result.duplicates });
    answer(res, 207, result);
  } catch (err) {
    answerError(res, err);
  }
}

function answerError(res: ServerResponse, err: unknown): void {
  if (err instanceof RequestError) {
    const headers: Record<string, string> = {};
    if (err.status === 405) headers.allow = 'POST';
    if (err.status === 401) headers['www-authenticate'] = 'Bearer';
    // The rest of an oversized upload is not worth reading: close once the answer is out.
    if (err.status === 413) headers.connection = 'close';
    return answer(res, err.status, { error: err.message }, headers);
  }
  if (err instanceof IngestBusyError)
    return answer(res, 429, { error: err.message }, { 'retry-after': String(err.retryAfterSeconds) });
  if (err instanceof IngestStoreError || err instanceof IngestClosedError) {
    return answer(res, 503, { error: err.message }, { 'retry-after': String(err.retryAfterSeconds) });
  }
  console.error('[ingest] POST /api/v1/events failed:', err);
  answer(res, 500, { error: 'ingest failed unexpectedly; none of the events were accepted, retry them' });
}

function answer(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}
