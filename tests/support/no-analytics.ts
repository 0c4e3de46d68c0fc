import type { Analytics } from '@/analytics/clickhouse';

const refuse = () => Promise.reject(new Error('this test has no ClickHouse'));

/** A gateway for tests whose rules never reach ClickHouse: every call fails. */
export const noAnalytics: Analytics = {
  engine: 'chdb',
  query: refuse,
  command: refuse,
  insert: refuse,
  inOneTurn: refuse,
  close: async () => undefined,
};
