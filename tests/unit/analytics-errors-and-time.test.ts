import { describe, expect, it } from 'vitest';
import { AnalyticsError, isTransientAnalyticsFailure, toAnalyticsError } from '@/analytics/analytics-error';
import { evaluateFormula } from '@/analytics/kpis/evaluate-formula';
import { addUtcDays, chDateTimeIso, startOfUtcDay, toChDateTime } from '@/analytics/ch-time';

const clickHouseError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toAnalyticsError', () => {
  it.each([
    ['159', 'Timeout exceeded: elapsed 10001 ms', 'timeout'],
    ['241', 'Memory limit (total) exceeded', 'memory'],
    ['60', 'Unknown table expression identifier', 'invalid_query'],
    ['62', 'Syntax error', 'invalid_query'],
    ['999', 'Keeper exception', 'unavailable'],
    ['1000', 'Something unusual', 'engine'],
  ])('maps ClickHouse code %s to %s… naming the query', (code, message, expected) => {
    const err = toAnalyticsError('board.orders', clickHouseError(code, message), 10_000);
    expect(err).toBeInstanceOf(AnalyticsError);
    expect(err.code).toBe(expected);
    expect(err.queryName).toBe('board.orders');
    expect(err.clickhouseCode).toBe(code);
    expect(err.message.startsWith('board.orders: ')).toBe(true);
  });

  it('treats a refused connection as unavailable and worth retrying', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    const err = toAnalyticsError('ingest.insert', refused, 60_000);
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('CLICKHOUSE_URL');
    expect(isTransientAnalyticsFailure(err)).toBe(true);
  });

  it('does not retry a query the engine rejected', () => {
    expect(isTransientAnalyticsFailure(toAnalyticsError('q', clickHouseError('62', 'Syntax error'), 1000))).toBe(false);
    expect(isTransientAnalyticsFailure(toAnalyticsError('q', clickHouseError('252', 'Too many parts'), 1000))).toBe(
      true,
    );
  });

  it('drops a server-side stack trace from the message', () => {
    const err = toAnalyticsError('q', clickHouseError('1000', 'Boom. Stack trace:\n0. DB::Exception'), 1000);
    expect(err.message).not.toContain('DB::Exception');
  });
});

describe('time helpers', () => {
  it('formats a parameter as a UTC DateTime64(3) literal', () => {
    expect(toChDateTime(new Date('2026-03-10T09:05:07.042+02:00'))).toBe('2026-03-10 07:05:07.042');
  });

  it('finds the UTC day around a moment', () => {
    const start = startOfUtcDay(new Date('2026-03-10T23:59:59.999Z'));
    expect(start.toISOString()).toBe('2026-03-10T00:00:00.000Z');
    expect(addUtcDays(start, -29).toISOString()).toBe('2026-02-09T00:00:00.000Z');
  });

  it('reads ClickHouse date-times back as ISO strings', () => {
    expect(chDateTimeIso.parse('2026-03-10 07:00:00')).toBe('2026-03-10T07:00:00.000Z');
    expect(chDateTimeIso.parse('2026-03-10 07:05:07.042')).toBe('2026-03-10T07:05:07.042Z');
    expect(chDateTimeIso.safeParse('yesterday').success).toBe(false);
  });
});

describe('a ratio KPI', () => {
  const ratio = { kind: 'ratio', numerator: { plus: ['n'] }, denominator: { plus: ['d'] } } as const;
  const sums = (n: number, d: number) => [
    { group: '', metric: 'n', detail: '', bucket: 0, value: n },
    { group: '', metric: 'd', detail: '', bucket: 0, value: d },
  ];
  it('is null without a denominator, never NaN or 0', () => {
    expect(evaluateFormula(ratio, sums(0, 0))).toBeNull();
    expect(evaluateFormula(ratio, sums(3, 4))).toBe(0.75);
    expect(evaluateFormula(ratio, sums(0, 5))).toBe(0);
  });
});
