import { readEnv } from '@/lib/env';

/**
 * The configured pick/pack cost of one unit (TOWER_PICK_PACK_COST_PER_UNIT) as a decimal SQL
 * literal. It is part of the contribution SQL on purpose: a new rate changes the family's
 * checksum, so the ledger recomputes the whole history at that rate rather than mixing two.
 */
export function pickPackRateSql(): string {
  const rate = readEnv().TOWER_PICK_PACK_COST_PER_UNIT;
  return `toDecimal128('${rate.toFixed(4)}', 4)`;
}
