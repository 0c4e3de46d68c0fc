import { z } from 'zod';
import { orderEvents } from './orders';
import { productEvents } from './products';
import { returnEvents } from './returns';
import { stockEvents } from './stock';
import { warehouseEvents } from './warehouse';

/** Contract v1 of ../shared/EVENTS.md, plus `product.updated`: every event type, one schema each. */
const eventSchemas = [...orderEvents, ...warehouseEvents, ...stockEvents, ...returnEvents, ...productEvents] as const;

export const opsEventSchema = z.discriminatedUnion('type', eventSchemas);

/** A validated event: money as numbers, timestamps as UTC ISO strings, currency defaulted. */
export type OpsEvent = z.output<typeof opsEventSchema>;
/** What a producer may send (money as numbers or decimal strings, any ISO offset). */
export type OpsEventInput = z.input<typeof opsEventSchema>;
export type EventType = OpsEvent['type'];
export type EventOf<T extends EventType> = Extract<OpsEvent, { type: T }>;
export type EventData<T extends EventType> = EventOf<T>['data'];

export const EVENT_TYPES: readonly EventType[] = eventSchemas.map((schema) => schema.shape.type.value);

type EventSchema = (typeof eventSchemas)[number];
export const eventSchemaByType: ReadonlyMap<string, EventSchema> = new Map(
  eventSchemas.map((schema) => [schema.shape.type.value, schema]),
);
