/** What went wrong, in terms the caller can act on; `engine` is everything not recognised. */
export type AnalyticsErrorCode =
  'timeout' | 'memory' | 'invalid_query' | 'bad_rows' | 'unavailable' | 'data_dir_locked' | 'engine';

/**
 * Every failure that leaves the ClickHouse gateway. `queryName` is the query tag (also sent as
 * `log_comment`), so the message, the logs and system.query_log all point at the same query.
 */
export class AnalyticsError extends Error {
  override readonly name = 'AnalyticsError';

  constructor(
    readonly queryName: string,
    readonly code: AnalyticsErrorCode,
    message: string,
    readonly clickhouseCode?: string,
    options?: { cause?: unknown },
  ) {
    super(`${queryName}: ${message}`, options);
  }
}

// ClickHouse error codes, grouped by what the caller should do about them.
const TIMEOUT_CODES = new Set(['159', '160', '209']);
const MEMORY_CODES = new Set(['241']);
const INVALID_QUERY_CODES = new Set(['36', '43', '46', '47', '53', '60', '62', '81', '386', '456', '457']);
const UNAVAILABLE_CODES = new Set(['210', '202', '242', '999']);
// Worth another attempt for an insert: the same block (and deduplication token) may be sent again.
const TRANSIENT_CODES = new Set(['3', '159', '202', '209', '210', '241', '242', '252', '319', '425', '999']);
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

interface ErrorFacts {
  code?: string;
  errno?: string;
  message: string;
  aborted: boolean;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' || typeof value.code === 'number' ? String(value.code) : undefined;
}

function factsOf(err: unknown): ErrorFacts {
  if (!(err instanceof Error)) return { message: String(err), aborted: false };
  const raw = codeOf(err);
  const isChCode = raw !== undefined && /^\d+$/.test(raw);
  const causeErrno = codeOf(err.cause);
  return {
    code: isChCode ? raw : undefined,
    errno: isChCode ? causeErrno : (raw ?? causeErrno),
    // The engine's text can carry a server-side stack trace; a caller never needs it.
    message: err.message.split(/\s*Stack trace:/)[0].trim(),
    aborted: err.name === 'AbortError' || err.name === 'TimeoutError' || /\baborted\b|timed? ?out/i.test(err.message),
  };
}

export function isTransientAnalyticsFailure(err: unknown): boolean {
  if (err instanceof AnalyticsError)
    return err.code === 'unavailable' || err.code === 'timeout' || TRANSIENT_CODES.has(err.clickhouseCode ?? '');
  const f = factsOf(err);
  return (
    (f.code !== undefined && TRANSIENT_CODES.has(f.code)) || (f.errno !== undefined && NETWORK_ERRNOS.has(f.errno))
  );
}

/** Maps whatever the client or engine threw into an AnalyticsError naming the query. */
export function toAnalyticsError(queryName: string, err: unknown, timeoutMs: number): AnalyticsError {
  if (err instanceof AnalyticsError) return err;
  const f = factsOf(err);
  const cause = { cause: err };
  if ((f.code && TIMEOUT_CODES.has(f.code)) || (!f.code && f.aborted)) {
    return new AnalyticsError(
      queryName,
      'timeout',
      `took longer than ${timeoutMs / 1000} s and was stopped; try again, or narrow what it asks for. (${f.message})`,
      f.code,
      cause,
    );
  }
  if (f.code && MEMORY_CODES.has(f.code)) {
    return new AnalyticsError(
      queryName,
      'memory',
      `needed more memory than the engine may use (TOWER_MAX_MEMORY); raise it or narrow the query. (${f.message})`,
      f.code,
      cause,
    );
  }
  if (f.code && INVALID_QUERY_CODES.has(f.code)) {
    return new AnalyticsError(
      queryName,
      'invalid_query',
      `the engine rejected the query; this is a defect in the query or a missing migration. (${f.message})`,
      f.code,
      cause,
    );
  }
  if ((f.code && UNAVAILABLE_CODES.has(f.code)) || (f.errno && NETWORK_ERRNOS.has(f.errno))) {
    return new AnalyticsError(
      queryName,
      'unavailable',
      `ClickHouse is not reachable or is overloaded; check CLICKHOUSE_URL and the server, then retry. (${f.message})`,
      f.code,
      cause,
    );
  }
  return new AnalyticsError(queryName, 'engine', `ClickHouse failed: ${f.message}`, f.code, cause);
}
