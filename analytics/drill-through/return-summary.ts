import type { StoredEvent } from '../queries/drill-through/events-by-reference';
import { linesOf, numberOf, textOf, type Payload } from './payload-fields';

export interface ReturnLine {
  sku: string;
  qtyRequested: number;
  reasonCode: string | null;
  qtyReceived: number;
  condition: string | null;
  qtyInspected: number;
  disposition: string | null;
  /** Σ recovery_value of the inspected units; null until inspected or when none was given. */
  recoveryValue: number | null;
}

export interface RefundSummary {
  refundId: string;
  requestedAmount: number | null;
  requestedAt: string | null;
  approvedAt: string | null;
  approver: string | null;
  issuedAmount: number;
  issuedAt: string | null;
  method: string | null;
  rejectedAt: string | null;
  rejectedReason: string | null;
}

export interface ReturnSummary {
  returnId: string;
  orderId: string | null;
  status: string;
  warehouse: string | null;
  lines: ReturnLine[];
  recoveryValue: number;
  refunds: RefundSummary[];
}

const STATUS_BY_TYPE: [string, string][] = [
  ['return.inspected', 'inspected'],
  ['return.received', 'received, awaiting inspection'],
  ['return.rejected', 'rejected'],
  ['return.authorized', 'authorised, on its way back'],
  ['return.requested', 'requested'],
];

/** The return as its events tell it: lines joined by SKU across request, receipt and inspection. */
export function summariseReturn(returnId: string, events: StoredEvent[]): ReturnSummary {
  const own = events.filter((e) => textOf(e.data, 'return_id') === returnId && e.type.startsWith('return.'));
  const bySku = new Map<string, ReturnLine>();
  const lineFor = (sku: string) => {
    const found = bySku.get(sku);
    if (found) return found;
    const fresh: ReturnLine = { sku, qtyRequested: 0, reasonCode: null, qtyReceived: 0, condition: null, qtyInspected: 0, disposition: null, recoveryValue: null };
    bySku.set(sku, fresh);
    return fresh;
  };
  const joinWords = (was: string | null, word: string) => (!word || was === word ? was : was ? `${was}, ${word}` : word);
  for (const e of own) {
    for (const l of linesOf(e.data)) {
      const line = lineFor(textOf(l, 'sku'));
      if (e.type === 'return.requested') {
        line.qtyRequested += numberOf(l, 'qty');
        line.reasonCode = joinWords(line.reasonCode, textOf(l, 'reason_code'));
      } else if (e.type === 'return.received') {
        line.qtyReceived += numberOf(l, 'qty');
        line.condition = joinWords(line.condition, textOf(l, 'condition'));
      } else if (e.type === 'return.inspected') {
        line.qtyInspected += numberOf(l, 'qty');
        line.disposition = joinWords(line.disposition, textOf(l, 'disposition'));
        if ('recovery_value' in l) line.recoveryValue = (line.recoveryValue ?? 0) + numberOf(l, 'recovery_value');
      }
    }
  }
  const types = new Set(own.map((e) => e.type));
  const lines = [...bySku.values()];
  return {
    returnId,
    orderId: own.map((e) => textOf(e.data, 'order_id')).find(Boolean) ?? null,
    status: STATUS_BY_TYPE.find(([type]) => types.has(type))?.[1] ?? 'unknown',
    warehouse: own.map((e) => textOf(e.data, 'warehouse')).find(Boolean) ?? null,
    lines,
    recoveryValue: lines.reduce((s, l) => s + (l.recoveryValue ?? 0), 0),
    refunds: summariseRefunds(events),
  };
}

export function summariseRefunds(events: StoredEvent[]): RefundSummary[] {
  const byId = new Map<string, RefundSummary>();
  for (const e of events.filter((x) => x.type.startsWith('refund.'))) {
    const id = textOf(e.data, 'refund_id');
    if (!id) continue;
    const r = byId.get(id) ?? {
      refundId: id,
      requestedAmount: null,
      requestedAt: null,
      approvedAt: null,
      approver: null,
      issuedAmount: 0,
      issuedAt: null,
      method: null,
      rejectedAt: null,
      rejectedReason: null,
    };
    applyRefundEvent(r, e.type, e.occurredAt, e.data);
    byId.set(id, r);
  }
  return [...byId.values()];
}

function applyRefundEvent(r: RefundSummary, type: string, at: string, data: Payload): void {
  if (type === 'refund.requested') {
    r.requestedAmount = numberOf(data, 'amount');
    r.requestedAt ??= at;
  } else if (type === 'refund.approved') {
    r.approvedAt ??= at;
    r.approver = textOf(data, 'approver') || r.approver;
  } else if (type === 'refund.issued') {
    r.issuedAmount += numberOf(data, 'amount');
    r.issuedAt ??= at;
    r.method = textOf(data, 'method') || r.method;
  } else if (type === 'refund.rejected') {
    r.rejectedAt ??= at;
    r.rejectedReason = textOf(data, 'reason') || null;
  }
}
