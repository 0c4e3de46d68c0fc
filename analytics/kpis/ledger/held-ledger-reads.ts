import type { Analytics } from '../../clickhouse';
import type { KpiLedger } from './kpi-ledger';
import { foldDifference, readLedgerSlices, wholeHours, type LedgerFilters, type LedgerSlice, type LedgerSum } from './read-ledger';

type SlicesRead = { filters: LedgerFilters; slices: readonly LedgerSlice[] };

/**
 * Live boards' ledger sums, kept from one pass to the next. chDB runs one statement at a time, so
 * a read made inside a turn knows exactly which passes of the ledger it saw (KpiLedger.passes),
 * and each pass hands over its difference before anything else runs: it is added to the kept sums
 * (foldDifference), and a board follows the pass without reading the ledger again. A pass without
 * its difference (a catch-up, a rebuild, a failure) drops them all. Only for chDB, with the ledger
 * kept in this process: a server runs a pass and a read side by side.
 */
export interface HeldLedgerReads {
  /**
   * readLedgerSlices, answered from kept sums when they are up to date, without a turn on chDB:
   * they are the ledger as of the last pass to end. Otherwise it reads in a turn of its own.
   */
  read(a: Analytics, q: SlicesRead): Promise<LedgerSum[][]>;
  close(): void;
}

/** A board view's reads change with its periods (every hour): the least recently used go first. */
const KEPT_READS = 64;

export function holdLedgerReads(ledger: Pick<KpiLedger, 'passes' | 'onPass'>): HeldLedgerReads {
  const kept = new Map<string, SlicesRead & { pass: number; sums: LedgerSum[][] }>();
  const copy = (sums: LedgerSum[][]) => sums.map((slice) => slice.map((sum) => ({ ...sum })));

  const stop = ledger.onPass(({ pass, difference }) => {
    for (const [key, held] of kept) {
      if (difference && held.pass === pass - 1) {
        foldDifference(held, held.sums, difference);
        held.pass = pass;
      } else {
        kept.delete(key);
      }
    }
  });

  return {
    async read(a, q) {
      // A read takes its periods to whole hours: so do the reads it can stand for.
      const key = JSON.stringify({
        filters: q.filters,
        slices: q.slices.map((slice) => ({ ...slice, period: wholeHours(slice.period) })),
      });
      const held = kept.get(key);
      kept.delete(key);
      if (held?.pass === ledger.passes()) {
        kept.set(key, held);
        return copy(held.sums);
      }
      // In one turn: no pass can end between noting the count and reading what it wrote.
      return a.inOneTurn(async (turn) => {
        const pass = ledger.passes();
        const sums = await readLedgerSlices(turn, q);
        kept.set(key, { ...q, pass, sums: copy(sums) });
        if (kept.size > KEPT_READS) kept.delete(kept.keys().next().value as string);
        return sums;
      });
    },
    close: stop,
  };
}
