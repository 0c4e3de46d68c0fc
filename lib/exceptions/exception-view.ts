import { z } from 'zod';
import { exceptionQueues, exceptionStatuses, severities, type ExceptionItem } from './exception-item';

/**
 * What an ops lead is looking at in `/exceptions`: one queue, filtered and sorted. The server
 * pages through it in this order and the browser places live arrivals by the same rules, so both
 * sides read the definitions here.
 */
export const exceptionSorts = ['severity', 'age', 'sla', 'value', 'updated'] as const;
export type ExceptionSort = (typeof exceptionSorts)[number];
export const sortDirections = ['asc', 'desc'] as const;
export type SortDirection = (typeof sortDirections)[number];

export const exceptionViewSchema = z.object({
  queue: z.enum(exceptionQueues).optional(),
  /** `unresolved` (the default) is open, claimed and snoozed together. */
  status: z.enum([...exceptionStatuses, 'unresolved', 'all']).default('unresolved'),
  severity: z.enum(severities).optional(),
  warehouse: z.string().min(1).max(64).optional(),
  channel: z.string().min(1).max(64).optional(),
  /** A user id, or `none` for unassigned items. */
  assignee: z.string().min(1).max(128).optional(),
  /** Only items whose SLA breached (`yes`), or only those still within it (`no`). */
  breached: z.enum(['yes', 'no']).optional(),
  sort: z.enum(exceptionSorts).default('severity'),
  /** As the person reads the column: `asc` is most severe, youngest, least SLA left, least value first. */
  dir: z.enum(sortDirections).default('asc'),
});
export type ExceptionView = z.infer<typeof exceptionViewSchema>;

/** The stored columns a sort orders by, and the same value read off an item. */
export interface SortKey {
  column: 'severity_rank' | 'sla_due_at' | 'opened_at' | 'value_at_risk' | 'updated_at';
  type: 'smallint' | 'timestamptz' | 'double precision';
  of(item: ExceptionItem): number;
}

interface SortSpec {
  keys: readonly SortKey[];
  /** The stored order that reads as `asc` on screen: age ascending is the newest first. */
  ascending: SortDirection;
}

const severityRank: SortKey = { column: 'severity_rank', type: 'smallint', of: (i) => severities.indexOf(i.severity) };
const slaDue: SortKey = { column: 'sla_due_at', type: 'timestamptz', of: (i) => Date.parse(i.slaDueAt) };

export const SORT_SPECS: Record<ExceptionSort, SortSpec> = {
  severity: { keys: [severityRank, slaDue], ascending: 'asc' },
  age: { keys: [{ column: 'opened_at', type: 'timestamptz', of: (i) => Date.parse(i.openedAt) }], ascending: 'desc' },
  sla: { keys: [slaDue], ascending: 'asc' },
  value: { keys: [{ column: 'value_at_risk', type: 'double precision', of: (i) => i.valueAtRisk }], ascending: 'asc' },
  updated: { keys: [{ column: 'updated_at', type: 'timestamptz', of: (i) => Date.parse(i.updatedAt) }], ascending: 'asc' },
};

/**
 * The direction every stored key (and the id that breaks ties) runs in for this view. One
 * direction for all keys is what lets the server page with a single row comparison.
 */
export function storedDirection(view: Pick<ExceptionView, 'sort' | 'dir'>): SortDirection {
  const { ascending } = SORT_SPECS[view.sort];
  if (view.dir === 'asc') return ascending;
  return ascending === 'asc' ? 'desc' : 'asc';
}

/** The view's order on items: negative when `a` comes first. Ids break ties in code-unit order, as the server's `COLLATE "C"`. */
export function compareInView(view: Pick<ExceptionView, 'sort' | 'dir'>, a: ExceptionItem, b: ExceptionItem): number {
  const sign = storedDirection(view) === 'asc' ? 1 : -1;
  for (const key of SORT_SPECS[view.sort].keys) {
    const d = key.of(a) - key.of(b);
    if (d !== 0) return d * sign;
  }
  return a.id === b.id ? 0 : (a.id < b.id ? -1 : 1) * sign;
}

/** Whether an item belongs in the view, by the same rules as the server's query. */
export function matchesView(view: ExceptionView, item: ExceptionItem): boolean {
  if (view.queue && item.queue !== view.queue) return false;
  if (view.status === 'unresolved' ? item.status === 'resolved' : view.status !== 'all' && item.status !== view.status)
    return false;
  if (view.severity && item.severity !== view.severity) return false;
  if (view.warehouse && item.warehouse !== view.warehouse) return false;
  if (view.channel && item.channel !== view.channel) return false;
  if (view.breached && (item.breachedAt !== null) !== (view.breached === 'yes')) return false;
  if (view.assignee === 'none') return item.assigneeId === null;
  return !view.assignee || item.assigneeId === view.assignee;
}

/** True when the view narrows its queue: then pushed per-queue counts do not describe it. */
export function isFiltered(view: ExceptionView): boolean {
  return Boolean(view.status !== 'unresolved' || view.severity || view.warehouse || view.channel || view.assignee || view.breached);
}
