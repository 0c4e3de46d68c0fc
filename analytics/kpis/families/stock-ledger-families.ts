import type { LedgerFamily } from '../ledger/ledger-family';
import { backorderedOrdersFamily } from './backordered-orders-family';
import { cycleCountsFamily } from './cycle-counts-family';
import { poLinesFamily } from './po-lines-family';
import { shippedCostFamily } from './shipped-cost-family';
import { stockPositionsFamily } from './stock-positions-family';

/** The families behind the stock and supplier KPIs (catalogue/stock-kpis.ts). */
export const stockLedgerFamilies: readonly LedgerFamily[] = [
  cycleCountsFamily,
  stockPositionsFamily,
  backorderedOrdersFamily,
  shippedCostFamily,
  poLinesFamily,
];
