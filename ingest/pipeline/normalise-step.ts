import type { EventRow } from './event-row';
import { toClickHouseTime } from './event-row';
import type { ValidEvent } from './validate-step';

/** Shapes a validated event as its `events` row; `receivedAt` is ClickHouse time text. */
export function normaliseStep({ event, attrs }: ValidEvent, receivedAt: string): EventRow {
  return {
    id: event.id,
    type: event.type,
    occurred_at: toClickHouseTime(event.occurred_at),
    received_at: receivedAt,
    source: event.source,
    order_id: 'order_id' in event.data ? event.data.order_id : '',
    data: event.data,
    attrs: attrs ?? {},
  };
}
