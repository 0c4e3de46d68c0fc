import { describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '@/lib/events';
import { batchToken } from '@/ingest/pipeline/batch-token';
import { dedupeStep } from '@/ingest/pipeline/dedupe-step';
import { normaliseStep } from '@/ingest/pipeline/normalise-step';
import { parseStep } from '@/ingest/pipeline/parse-step';
import { RecentIds } from '@/ingest/pipeline/recent-ids';
import { validateStep, type ValidEvent } from '@/ingest/pipeline/validate-step';

function valid(event: unknown): ValidEvent {
  const parsed = parseStep(event);
  if (parsed.kind !== 'ok') throw new Error('not an object');
  const result = validateStep(parsed.value);
  if (result.kind !== 'ok') throw new Error(result.kind === 'dead-letter' ? result.reason : 'dropped');
  return result.value;
}

describe('parse step', () => {
  it.each<[string, unknown, 'ok' | 'dead-letter', string?]>([
    ['an object', { id: 'a' }, 'ok'],
    ['JSON text of an object', '{"id":"a"}', 'ok'],
    ['text that is not JSON', '{"id":', 'dead-letter', 'not valid JSON'],
    ['an array', [{ id: 'a' }], 'dead-letter', 'expected an event object'],
    ['null', null, 'dead-letter', 'expected an event object'],
    ['a number', 7, 'dead-letter', 'expected an event object'],
  ])('%s → %s', (_case, input, kind, reason) => {
    const result = parseStep(input);
    expect(result.kind).toBe(kind);
    if (reason && result.kind === 'dead-letter') expect(result.reason).toContain(reason);
  });
});

describe('validate step', () => {
  it.each<[string, Record<string, unknown>, 'ok' | 'dead-letter', string?]>([
    ['a valid order', { ...EVENT_EXAMPLES['order.created'] }, 'ok'],
    [
      'a refund without amount',
      { ...EVENT_EXAMPLES['refund.issued'], data: { refund_id: 'r', order_id: 'o' } },
      'dead-letter',
      'data.amount: required',
    ],
    [
      'an unknown type',
      { ...EVENT_EXAMPLES['order.created'], type: 'nope' },
      'dead-letter',
      'type: unknown event type "nope"',
    ],
  ])('%s → %s', (_case, input, kind, reason) => {
    const result = validateStep(input);
    expect(result.kind).toBe(kind);
    if (reason && result.kind === 'dead-letter') expect(result.reason).toContain(reason);
  });
});

describe('normalise step', () => {
  it('shapes an order event as its events row, in UTC', () => {
    const row = normaliseStep(valid({ ...EVENT_EXAMPLES['order.shipped'], extra: 'x' }), '2025-03-02 09:31:00.000');
    expect(row).toMatchObject({
      id: 'wms-east-0009',
      type: 'order.shipped',
      occurred_at: '2025-03-02 09:30:00.000',
      received_at: '2025-03-02 09:31:00.000',
      source: 'wms-east',
      order_id: 'SO-1001',
      attrs: { _envelope: { extra: 'x' } },
    });
    expect(JSON.parse(JSON.stringify(row.data))).toMatchObject({ shipping_cost: 7.41, carrier: 'ups' });
  });

  it.each([
    ['stock.snapshot', ''],
    ['return.authorized', ''],
    ['refund.issued', 'SO-1001'],
  ] as const)('%s gets order_id "%s"', (type, orderId) => {
    expect(normaliseStep(valid(EVENT_EXAMPLES[type]), '2025-03-01 00:00:00.000').order_id).toBe(orderId);
  });

  it('keeps attrs as an empty object when nothing was extra', () => {
    expect(normaliseStep(valid(EVENT_EXAMPLES['order.delivered']), '2025-03-01 00:00:00.000').attrs).toEqual({});
  });
});

describe('dedupe step (in memory)', () => {
  const recent = new RecentIds(10);
  recent.add('stored-1');
  const known = { submission: new Set(['earlier']), queued: { has: (id: string) => id === 'queued-1' }, recent };
  it.each([
    ['a new id', 'fresh', 'ok'],
    ['an id earlier in the same submission', 'earlier', 'drop'],
    ['an id waiting in a batch', 'queued-1', 'drop'],
    ['an id stored a moment ago', 'stored-1', 'drop'],
  ])('%s → %s', (_case, id, kind) => {
    expect(dedupeStep(id, known).kind).toBe(kind);
  });
});

describe('recent ids', () => {
  it('remembers at least the last capacity/2 ids and forgets older ones', () => {
    const recent = new RecentIds(4);
    for (const id of ['a', 'b', 'c', 'd', 'e']) recent.add(id);
    expect(recent.has('a')).toBe(false);
    expect(recent.has('d') && recent.has('e')).toBe(true);
    expect(recent.size).toBeLessThanOrEqual(4);
  });

  it('keeps an id it was just asked about', () => {
    const recent = new RecentIds(6);
    for (const id of ['a', 'b', 'c']) recent.add(id);
    expect(recent.has('a')).toBe(true);
    for (const id of ['d', 'e']) recent.add(id);
    expect(recent.has('a')).toBe(true);
  });
});

describe('batch token', () => {
  it('is the same for the same ids and differs for any other batch', () => {
    expect(batchToken('events', ['a', 'b'])).toBe(batchToken('events', ['a', 'b']));
    expect(batchToken('events', ['a', 'b'])).not.toBe(batchToken('events', ['b', 'a']));
    expect(batchToken('events', ['ab'])).not.toBe(batchToken('events', ['a', 'b']));
    expect(batchToken('events', ['a'])).not.toBe(batchToken('dead_letters', ['a']));
  });
});
