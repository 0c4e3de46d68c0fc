import type { LedgerFamily } from '../ledger/ledger-family';
import { orderBacklogFamily } from './order-backlog-family';
import { orderFulfilmentFamily } from './order-fulfilment-family';
import { orderLinesFamily } from './order-lines-family';
import { pickAccuracyFamily } from './pick-accuracy-family';
import { refundFamily } from './refund-family';
import { returnFamily } from './return-family';
import { shippedOrderFamily } from './shipped-order-family';
import { stockLedgerFamilies } from './stock-ledger-families';

/** Every family the KPI ledger keeps; a KPI formula may use any metric these write. */
export const ledgerFamilies: readonly LedgerFamily[] = [
  orderLinesFamily,
  orderFulfilmentFamily,
  orderBacklogFamily,
  pickAccuracyFamily,
  shippedOrderFamily,
  returnFamily,
  refundFamily,
  ...stockLedgerFamilies,
];
