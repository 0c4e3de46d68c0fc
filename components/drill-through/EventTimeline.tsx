import type { StoredEvent } from '@/analytics/queries/drill-through/events-by-reference';
import { EVENTS_PER_LOOKUP } from '@/analytics/queries/drill-through/events-by-reference';
import { describeEvent } from './event-words';
import { formatDelay, formatUtc } from './format';

/**
 * Every stored event in business-time order. An event that reached the tower well after it
 * happened says so: late arrivals explain a number that changed after the fact.
 */
export function EventTimeline({ events, currency }: { events: StoredEvent[]; currency: string }) {
  if (events.length === 0) return <p className="muted">No events stored for it yet.</p>;
  return (
    <>
      <table className="dt-table" data-testid="event-timeline">
        <thead>
          <tr>
            <th>Happened (UTC)</th>
            <th>Reached the tower</th>
            <th>Source</th>
            <th>Event</th>
            <th>What it says</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const delay = formatDelay(e.occurredAt, e.receivedAt);
            return (
              <tr key={e.id} data-testid="timeline-event" title={`event id ${e.id}`}>
                <td className="dt-nowrap">{formatUtc(e.occurredAt)}</td>
                <td className="dt-nowrap">
                  {formatUtc(e.receivedAt)}
                  {delay && <div className="dt-late">{delay}</div>}
                </td>
                <td>{e.source}</td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>{describeEvent(e.type, e.data, currency)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {events.length >= EVENTS_PER_LOOKUP && <p className="muted">Only the first {EVENTS_PER_LOOKUP.toLocaleString()} events are shown.</p>}
    </>
  );
}
