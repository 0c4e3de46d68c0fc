/** A row of `events` (analytics/migrations/001-events.sql): what ingest writes, field for field. */
export interface EventRow {
  id: string;
  type: string;
  /** `YYYY-MM-DD HH:MM:SS.mmm`, UTC. */
  occurred_at: string;
  received_at: string;
  source: string;
  /** '' when the event is not about one order. */
  order_id: string;
  /**
   * The validated `data`. The column is a String: the engine stores a nested JSON object as its
   * text (input_format_json_read_objects_as_strings, on by default), so the row is serialised
   * once, by the insert, instead of once here and again, escaped, by the insert.
   */
  data: object;
  /** Fields the contract does not know; stored as JSON text, `{}` when none. */
  attrs: object;
}

/** A row of `dead_letters`: the reason and the payload exactly as it was received. */
export interface DeadLetterRow {
  received_at: string;
  source: string;
  event_id: string;
  event_type: string;
  reason: string;
  payload: string;
}

/** ClickHouse DateTime64(3) text for an instant, always UTC. */
export function toClickHouseTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
