import type { KpiFormula, PeriodSums } from '../kpi-definition';
import type { LedgerSum } from '../ledger/read-ledger';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const INVENTORY_VALUE = 'stock.on_hand_value';
const COGS = 'stock.cogs';

const total = (sums: readonly LedgerSum[], metric: string) =>
  sums.filter((s) => s.metric === metric).reduce((acc, s) => acc + s.value, 0);

/**
 * Average inventory value at cost over the range: the mean of the value at the start of the range
 * and at the end of each of its days (hours for a range of up to two days; a trend point, one hour
 * or day, has its start and end). The value is the level metric stock.on_hand_value: the core's
 * latest snapshot of every SKU-warehouse at the SKU's standard cost. Null when the range holds no
 * stock at all.
 */
function averageInventoryValue({ levelPoints }: PeriodSums): number | null {
  const average = levelPoints.reduce((acc, point) => acc + total(point, INVENTORY_VALUE), 0) / levelPoints.length;
  return average > 0 ? average : null;
}

export const averageInventory: KpiFormula = {
  kind: 'derived',
  needs: { levels: [INVENTORY_VALUE] },
  evaluate: averageInventoryValue,
};

/**
 * Inventory turns: cost of goods shipped in the range ÷ average inventory value at cost,
 * annualised (× 365 days ÷ the range's length, at least an hour), as kpi-readings annualises.
 */
export const inventoryTurns: KpiFormula = {
  kind: 'derived',
  needs: { flows: [COGS], levels: [INVENTORY_VALUE] },
  // Behind the number: the SKUs whose shipments made the cost of goods, largest first.
  listBy: { kind: 'total', terms: { plus: [COGS] } },
  evaluate: (sums) => {
    const average = averageInventoryValue(sums);
    if (average === null) return null;
    const length = Math.max(HOUR, sums.period.to.getTime() - sums.period.from.getTime());
    return (total(sums.flows, COGS) / average) * ((365 * DAY) / length);
  },
};
