import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { EVENT_EXAMPLES, EVENT_TYPES, eventSchemaByType, validateEvent, type EventType } from '@/lib/events';

/** The types ../shared/EVENTS.md promises producers, copied by hand so a rename fails here. */
const CONTRACT_V1_TYPES = [
  'order.created',
  'order.payment_authorized',
  'order.payment_failed',
  'order.held',
  'order.released',
  'order.allocated',
  'order.backordered',
  'order.cancelled',
  'order.shipped',
  'shipment.exception',
  'order.delivered',
  'pick.created',
  'pick.completed',
  'stock.received',
  'stock.adjusted',
  'stock.transferred',
  'stock.snapshot',
  'po.created',
  'return.requested',
  'return.authorized',
  'return.rejected',
  'return.received',
  'return.inspected',
  'refund.requested',
  'refund.approved',
  'refund.issued',
  'refund.rejected',
];

/** Types the project added to v1 (EVENTS.md allows new types, never renames or removals). */
const PROJECT_ADDED_TYPES = ['product.updated'];

type Json = Record<string, unknown>;
const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value));
const example = (type: EventType): Json => clone(EVENT_EXAMPLES[type]);

function withData(type: EventType, patch: Json): Json {
  const event = example(type);
  return { ...event, data: { ...(event.data as Json), ...patch } };
}

function errorOf(event: unknown): string {
  const result = validateEvent(event);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.error;
}

describe('event contract v1', () => {
  it('covers exactly the types of EVENTS.md and the ones the project added', () => {
    expect([...EVENT_TYPES].sort()).toEqual([...CONTRACT_V1_TYPES, ...PROJECT_ADDED_TYPES].sort());
  });

  it.each([...CONTRACT_V1_TYPES, ...PROJECT_ADDED_TYPES] as EventType[])('accepts the documented example of %s', (type) => {
    const result = validateEvent(example(type));
    expect(result.ok ? null : result.error).toBeNull();
  });

  it.each(CONTRACT_V1_TYPES as EventType[])('names each missing required field of %s', (type) => {
    const shape: Record<string, z.ZodType> = eventSchemaByType.get(type)!.shape.data.shape;
    const required = Object.keys(shape).filter((key) => !shape[key].safeParse(undefined).success);
    expect(required.length).toBeGreaterThan(0);
    for (const key of required) {
      const event = example(type);
      delete (event.data as Json)[key];
      expect(errorOf(event)).toContain(`data.${key}: required`);
    }
  });

  const line = (patch: Json) => ({ lines: [{ sku: 'A-1', qty: 1, unit_price: 1, ...patch }] });
  it.each<[string, unknown, string]>([
    ['zero quantity', withData('order.created', line({ qty: 0 })), 'data.lines[0].qty: expected integer >= 1'],
    ['fractional quantity', withData('order.created', line({ qty: 1.5 })), 'data.lines[0].qty: expected integer >= 1'],
    ['quantity as text', withData('order.created', line({ qty: '2' })), 'data.lines[0].qty: expected integer >= 1'],
    [
      'five decimals of money',
      withData('order.created', line({ unit_price: 1.23456 })),
      'data.lines[0].unit_price: expected an amount >= 0 with at most 4 decimals',
    ],
    [
      'money in exponent form',
      withData('order.created', line({ unit_price: '1e3' })),
      'data.lines[0].unit_price: expected an amount',
    ],
    ['negative money', withData('refund.issued', { amount: -5 }), 'data.amount: expected an amount >= 0'],
    ['no lines', withData('order.created', { lines: [] }), 'data.lines: expected at least 1 line'],
    [
      'a 65-character SKU',
      withData('order.allocated', { lines: [{ sku: 'S'.repeat(65), qty: 1 }] }),
      'data.lines[0].sku: expected a SKU of 1-64 characters',
    ],
    [
      'lower-case currency',
      withData('order.created', { currency: 'usd' }),
      'data.currency: expected an ISO 4217 currency code',
    ],
    [
      'an unknown hold reason',
      withData('order.held', { reason: 'vacation' }),
      'data.reason: expected one of: fraud_review, payment, address, credit, manual',
    ],
    ['a fractional stock delta', withData('stock.adjusted', { qty_delta: 1.5 }), 'data.qty_delta: expected an integer'],
    ['negative stock on hand', withData('stock.snapshot', { on_hand: -1 }), 'data.on_hand: expected integer >= 0'],
    [
      'a local time without offset',
      { ...example('order.delivered'), occurred_at: '2025-03-01T10:00:00' },
      'occurred_at: expected an ISO 8601 date-time with an offset or Z',
    ],
    [
      'an impossible date',
      { ...example('order.delivered'), occurred_at: '2025-02-30T10:00:00Z' },
      'occurred_at: expected an ISO 8601',
    ],
    [
      'a timestamp in data without offset',
      withData('order.backordered', { expected_at: '2025-03-09' }),
      'data.expected_at: expected an ISO 8601',
    ],
    ['an empty id', { ...example('order.delivered'), id: '' }, 'id: expected a string of 1-128 characters'],
    [
      'a 129-character id',
      { ...example('order.delivered'), id: 'x'.repeat(129) },
      'id: expected a string of 1-128 characters',
    ],
    [
      'a 65-character source',
      { ...example('order.delivered'), source: 's'.repeat(65) },
      'source: expected a string of 1-64 characters',
    ],
    [
      'data that is not an object',
      { ...example('order.delivered'), data: [1] },
      "data: expected an object with the event's fields",
    ],
    [
      'an unknown type',
      { ...example('order.delivered'), type: 'order.teleported' },
      'type: unknown event type "order.teleported"; expected one of order.created',
    ],
    ['no type', { id: 'x', occurred_at: '2025-03-01T10:00:00Z', source: 's', data: {} }, 'type: required'],
    ['not an object at all', 42, 'expected an event object with id, type, occurred_at, source and data'],
  ])('rejects %s with a message naming the field', (_case, event, message) => {
    expect(errorOf(event)).toContain(message);
  });

  it.each<[string, unknown]>([
    ['a stock delta of 0 (a count that matched)', withData('stock.adjusted', { qty_delta: 0 })],
    ['a negative stock delta', withData('stock.adjusted', { qty_delta: -12 })],
    [
      'nothing picked on a short pick',
      withData('pick.completed', { lines: [{ sku: 'A', qty_required: 2, qty_picked: 0 }] }),
    ],
    ['money with 4 decimals as text', withData('refund.issued', { amount: '10.1234' })],
    ['an offset without a colon', { ...example('order.delivered'), occurred_at: '2025-03-01T10:00:00+0200' }],
    [
      'an hour-only offset and microseconds',
      { ...example('order.delivered'), occurred_at: '2025-03-01T10:00:00.123456-05' },
    ],
  ])('accepts %s', (_case, event) => {
    const result = validateEvent(event);
    expect(result.ok ? null : result.error).toBeNull();
  });

  it('normalises money to numbers, times to UTC, and defaults the currency to USD', () => {
    const event = withData('order.created', {
      currency: undefined,
      lines: [{ sku: 'A', qty: 1, unit_price: '19.9000' }],
      promised_ship_by: '2025-03-02T17:00:00-05:00',
    });
    const result = validateEvent({ ...event, occurred_at: '2025-03-01T10:00:00.5+02:00' });
    if (!result.ok) throw new Error(result.error);
    expect(result.event.occurred_at).toBe('2025-03-01T08:00:00.500Z');
    if (result.event.type !== 'order.created') throw new Error('wrong type');
    expect(result.event.data.lines[0].unit_price).toBe(19.9);
    expect(result.event.data.currency).toBe('USD');
    expect(result.event.data.promised_ship_by).toBe('2025-03-02T22:00:00.000Z');
  });

  it('keeps fields the contract does not know instead of rejecting them', () => {
    const event: Json = {
      ...withData('order.created', { gift_wrap: true, utm: { campaign: 'spring' } }),
      schema_version: 3,
    };
    event.data = { ...(event.data as Json), lines: [{ sku: 'A', qty: 1, unit_price: 2, colour: 'black' }] };
    const result = validateEvent(event);
    if (!result.ok) throw new Error(result.error);
    expect(result.attrs).toEqual({ gift_wrap: true, utm: { campaign: 'spring' }, _envelope: { schema_version: 3 } });
    expect(result.event.data).not.toHaveProperty('gift_wrap');
    expect((result.event.data as { lines: Json[] }).lines[0].colour).toBe('black');
    expect(validateEvent(example('order.delivered'))).toMatchObject({ ok: true, attrs: null });
  });

  it('lists at most three problems so the first fix stays visible', () => {
    const message = errorOf({
      id: '',
      type: 'order.held',
      occurred_at: 'soon',
      source: '',
      data: { order_id: '', reason: 'x' },
    });
    expect(message.split('; ').length).toBe(4);
    expect(message).toMatch(/and 2 more problem\(s\)$/);
  });
});
