import type { Analytics, QueryPriority } from './clickhouse';

/** The same gateway, every call in `priority`'s lane unless the call names its own. */
export function withPriority(analytics: Analytics, priority: QueryPriority): Analytics {
  return {
    ...analytics,
    query: (q) => analytics.query({ priority, ...q }),
    command: (q) => analytics.command({ priority, ...q }),
    insert: (q) => analytics.insert({ priority, ...q }),
    inOneTurn: (work, lane) => analytics.inOneTurn(work, lane ?? priority),
  };
}
