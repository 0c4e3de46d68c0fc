import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { withPriority } from '../../with-priority';
import type { LedgerEventRow, LedgerFamily } from './ledger-family';

/**
 * Keeps `kpi_ledger_hourly` (and through its views `kpi_ledger_daily`, `_monthly` and the
 * per-slice `_daily_slices` and `_hourly_slices`) equal to the sum of every family's
 * contributions. `kpi_ledger_contributions` holds what each entity contributed when it was last
 * applied; `apply` diffs the entities stored events touch against it and inserts the
 * difference there, and the table's view adds the same difference to the ledger. So late,
 * out-of-order or corrected events move a number exactly as far as they should, and applying
 * the same entities again adds nothing. Applies must run one at a time (the ledger worker's
 * passes do), or two diffs of one entity against the same old contribution would both count.
 */
export interface KpiLedger {
  /** Brings the entities these stored events touch up to date in the ledger. */
  apply(rows: readonly LedgerEventRow[]): Promise<void>;
  /**
   * Passes that have written to the ledger through this object so far (a rebuild counts as two).
   * On chDB, which runs one statement at a time, a read that notes it inside its turn knows
   * exactly which passes it saw.
   */
  passes(): number;
  /** Called with every pass as it ends, inside its turn on chDB: before any other statement runs. */
  onPass(listener: (pass: LedgerPass) => void): () => void;
  /** Rebuilds every family whose SQL changed since it was built (or was never built). */
  ensureBuilt(): Promise<string[]>;
  /** Rebuilds one family, or all, from the facts tables. */
  rebuild(entity?: string): Promise<void>;
}

/** The ledger's sums: the hourly table, which the contributions' view fills, and every table its views fill. */
const LEDGER_SUMS = [
  'kpi_ledger_hourly',
  'kpi_ledger_daily',
  'kpi_ledger_daily_slices',
  'kpi_ledger_hourly_slices',
  'kpi_ledger_monthly',
];
const LEDGER_COLUMNS = 'metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket';
const KEYS_PER_QUERY = 50_000;
/** Every family's columns as the contributions table types them, so the families' SELECTs unite. */
const TYPED_COLUMNS = `toString(entity_key) AS entity_key, toString(metric) AS metric, hour, toString(channel) AS channel,
    toString(region) AS region, toString(warehouse) AS warehouse, toString(category) AS category,
    toString(carrier) AS carrier, toString(supplier) AS supplier, toString(detail) AS detail,
    toInt32(bucket) AS bucket, toDecimal128(value, 4) AS value`;
/** Bumped when the ledger's own storage changes, so every family is rebuilt once into it. */
const STORAGE_VERSION = 'contributions-v1';
const APPLY_TIMEOUT_MS = 120_000;
/** A rebuild replays a family over all its facts: minutes at hundreds of millions of events. */
const REBUILD_TIMEOUT_MS = 30 * 60_000;

const builtRowSchema = z.object({ family: z.string(), checksum: z.string() });

/** A row of a pass's difference as read: what one entity's contribution to one ledger key changed by. */
const contributionRowSchema = z.object({
  family: z.string(),
  entity_key: z.string(),
  metric: z.string(),
  /** `YYYY-MM-DD HH:00:00` UTC, with `.000` where a family's hour has milliseconds (cut off for the boards). */
  hour: z.string(),
  channel: z.string(),
  region: z.string(),
  warehouse: z.string(),
  category: z.string(),
  carrier: z.string(),
  supplier: z.string(),
  detail: z.string(),
  bucket: z.number(),
  change: z.string(),
});

/** One ledger row's change: the pass added `value` to the ledger's sum at this key. */
export type LedgerDifferenceRow = Omit<z.infer<typeof contributionRowSchema>, 'family' | 'entity_key' | 'change'> & {
  value: number;
};

/** What a pass did: its number among this ledger's passes, and what it added to the ledger. */
export interface LedgerPass {
  pass: number;
  /** Null when not at hand (a catch-up's may be millions of rows; a rebuild; a failed pass). */
  difference: LedgerDifferenceRow[] | null;
}

/** A pass of up to this many events hands on its difference (a few rows per metric an entity moves). */
const DIFFERENCE_EVENTS = 1_000;

/** A family's contributions per entity and ledger key, hours whole. */
function contributionsOf(family: LedgerFamily, scope: 'keys' | 'all'): string {
  return `SELECT entity_key, metric, toStartOfHour(hour) AS hour, channel, region, warehouse, category, carrier, supplier, detail, bucket, value
FROM (${family.contributionsSql(scope)})${scope === 'keys' ? '\nWHERE entity_key IN {keys:Array(String)}' : ''}`;
}

export function createKpiLedger(analytics: Analytics, families: readonly LedgerFamily[]): KpiLedger {
  // A pass stands between stored events and every open board: its statements go ahead of new
  // work (the engine's rules, the next writes), so that what is under way finishes first.
  const live = withPriority(analytics, 'live');
  let built: Promise<string[]> | null = null;
  let passes = 0;
  const listeners = new Set<(pass: LedgerPass) => void>();
  const passEnded = (difference: LedgerDifferenceRow[] | null) => {
    passes++;
    for (const listener of listeners) listener({ pass: passes, difference });
  };

  /**
   * Now minus what was applied before, per entity and key, for every touched family in one
   * statement (chDB runs one statement at a time, and the boards wait for the pass).
   */
  const differenceSql = (touched: readonly { family: LedgerFamily; keys: string[] }[]) => {
    const parts: string[] = [];
    const params: Record<string, unknown> = {};
    touched.forEach(({ family, keys }, i) => {
      params[`family_${i}`] = family.entity;
      params[`keys_${i}`] = keys;
      const ownKeys = (sql: string) => sql.replaceAll('{keys:Array(String)}', `{keys_${i}:Array(String)}`);
      parts.push(`SELECT {family_${i}:String} AS family, ${TYPED_COLUMNS}
FROM (${ownKeys(contributionsOf(family, 'keys'))})`);
      parts.push(`SELECT family, entity_key, ${LEDGER_COLUMNS}, -value AS value
FROM kpi_ledger_contributions
WHERE family = {family_${i}:String} AND entity_key IN {keys_${i}:Array(String)}`);
    });
    return {
      select: (value: string) => `SELECT family, entity_key, ${LEDGER_COLUMNS}, ${value}
FROM
(
${parts.join('\nUNION ALL\n')}
)
GROUP BY family, entity_key, ${LEDGER_COLUMNS}
HAVING sum(value) != 0`,
      params,
    };
  };

  /** Applies the difference inside chDB: nothing is read into JS (a catch-up's may be millions of rows). */
  const applyTouched = async (on: Analytics, touched: readonly { family: LedgerFamily; keys: string[] }[]) => {
    const { select, params } = differenceSql(touched);
    await on.command({
      name: 'kpi-ledger.apply',
      sql: `INSERT INTO kpi_ledger_contributions (family, entity_key, ${LEDGER_COLUMNS}, value)\n${select('sum(value)')}`,
      params,
      timeoutMs: APPLY_TIMEOUT_MS,
    });
  };

  /** Reads a small pass's difference, then stores it: the same rows, now also at hand for the boards. */
  const applyAndHandOn = async (on: Analytics, touched: readonly { family: LedgerFamily; keys: string[] }[]) => {
    const { select, params } = differenceSql(touched);
    const rows = await on.query({
      name: 'kpi-ledger.difference',
      // Named apart from `value`, which HAVING sums.
      sql: select('toString(sum(value)) AS change'),
      params,
      schema: contributionRowSchema,
      timeoutMs: APPLY_TIMEOUT_MS,
    });
    // A token of its own: a retried insert is stored once, another pass's equal rows are not dropped.
    await on.insert({
      name: 'kpi-ledger.store-difference',
      table: 'kpi_ledger_contributions',
      rows: rows.map(({ change, ...row }) => ({ ...row, value: change })),
      deduplicationToken: randomUUID(),
    });
    return rows.map(
      ({ family: _family, entity_key: _key, hour, change, ...key }): LedgerDifferenceRow => ({
        ...key,
        hour: hour.slice(0, 19),
        value: Number(change),
      }),
    );
  };

  /** Statements of up to KEYS_PER_QUERY keys, families kept whole where they fit. */
  const groupsOf = (touched: readonly string[][]) => {
    const groups: { family: LedgerFamily; keys: string[] }[][] = [];
    let group: { family: LedgerFamily; keys: string[] }[] = [];
    let size = 0;
    for (const [index, family] of families.entries()) {
      const keys = [...new Set(touched[index])];
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        const chunk = keys.slice(i, i + KEYS_PER_QUERY);
        if (size + chunk.length > KEYS_PER_QUERY && group.length > 0) {
          groups.push(group);
          group = [];
          size = 0;
        }
        group.push({ family, keys: chunk });
        size += chunk.length;
      }
    }
    if (group.length > 0) groups.push(group);
    return groups;
  };

  const checksumOf = (family: LedgerFamily) =>
    createHash('sha256')
      .update(STORAGE_VERSION)
      .update(family.contributionsSql('all'))
      .update(family.metrics.join(','))
      .digest('hex');

  /** Rebuilds these families; a rebuild of all of them starts from empty tables rather than deleting family by family. */
  const rebuildFamilies = async (chosen: readonly LedgerFamily[]) => {
    // Counted as passes before and after: a read made meanwhile may have seen half of it.
    passEnded(null);
    try {
      if (chosen.length === families.length) await clearLedger();
      else for (const family of chosen) await clearFamily(family);
      for (const family of chosen) {
        const started = Date.now();
        await replayFamily(family);
        console.log(`[kpi-ledger] built ${family.entity} contributions in ${Date.now() - started} ms`);
      }
    } finally {
      passEnded(null);
    }
  };

  const clearLedger = async () => {
    for (const table of ['kpi_ledger_contributions', ...LEDGER_SUMS]) {
      await analytics.command({ name: `kpi-ledger.clear-${table}`, sql: `TRUNCATE TABLE ${table}`, timeoutMs: REBUILD_TIMEOUT_MS });
    }
  };

  // The family's contributions are a partition of their own, dropped whole; its sums are deleted
  // by a mutation, which rewrites every part that holds them: only a rebuild of some families
  // takes this way.
  const clearFamily = async (family: LedgerFamily) => {
    await analytics.command({
      name: `kpi-ledger.${family.entity}.clear-kpi_ledger_contributions`,
      sql: 'ALTER TABLE kpi_ledger_contributions DROP PARTITION {family:String}',
      params: { family: family.entity },
      timeoutMs: REBUILD_TIMEOUT_MS,
    });
    for (const table of LEDGER_SUMS) {
      await analytics.command({
        name: `kpi-ledger.${family.entity}.clear-${table}`,
        sql: `ALTER TABLE ${table} DELETE WHERE metric IN {metrics:Array(String)} SETTINGS mutations_sync = 2`,
        params: { metrics: [...family.metrics] },
        timeoutMs: REBUILD_TIMEOUT_MS,
      });
    }
  };

  const replayFamily = async (family: LedgerFamily) => {
    // Into the contributions: their view fills the ledger from the same rows, the hourly table's
    // four views side by side (a third off a rebuild on two cores).
    await analytics.command({
      name: `kpi-ledger.${family.entity}.rebuild`,
      sql: `INSERT INTO kpi_ledger_contributions (family, entity_key, ${LEDGER_COLUMNS}, value)
SELECT {family:String}, entity_key, ${LEDGER_COLUMNS}, sum(value)
FROM (${contributionsOf(family, 'all')})
GROUP BY entity_key, ${LEDGER_COLUMNS}
HAVING sum(value) != 0
SETTINGS parallel_view_processing = 1`,
      params: { family: family.entity },
      timeoutMs: REBUILD_TIMEOUT_MS,
    });
    await analytics.insert({
      name: 'kpi-ledger.record-build',
      table: 'kpi_ledger_builds',
      rows: [
        {
          family: family.entity,
          checksum: checksumOf(family),
          built_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
        },
      ],
    });
  };

  const ensureBuilt = async (): Promise<string[]> => {
    const rows = await analytics.query({
      name: 'kpi-ledger.builds',
      sql: 'SELECT family, argMax(checksum, built_at) AS checksum FROM kpi_ledger_builds GROUP BY family',
      schema: builtRowSchema,
    });
    const current = new Map(rows.map((r) => [r.family, r.checksum]));
    const stale = families.filter((family) => current.get(family.entity) !== checksumOf(family));
    if (stale.length > 0) await rebuildFamilies(stale);
    return stale.map((family) => family.entity);
  };

  return {
    async apply(rows) {
      built ??= ensureBuilt();
      try {
        await built;
      } catch (err) {
        built = null; // a failed build is tried again by the next apply
        throw err;
      }
      // The lookups of what the events touch and the apply take one turn on chDB; when the keys need
      // several statements (a catch-up), each takes a turn of its own, so urgent work passes between.
      // A pass is counted inside the turn that writes it, failed or not: a read that noted the count
      // before cannot take a half-written pass for one it saw.
      const groups = await live.inOneTurn(async (turn) => {
        const touched = await Promise.all(families.map((family) => family.touchedBy(rows, turn)));
        const statements = groupsOf(touched);
        if (statements.length !== 1) return statements;
        let difference: LedgerDifferenceRow[] | null = null;
        try {
          // Read into JS only when someone takes it (live boards on chDB), and only a small pass's.
          if (listeners.size === 0 || rows.length > DIFFERENCE_EVENTS) await applyTouched(turn, statements[0]);
          else difference = await applyAndHandOn(turn, statements[0]);
        } finally {
          passEnded(difference);
        }
        return [];
      });
      for (const group of groups) {
        await live.inOneTurn(async (turn) => {
          try {
            await applyTouched(turn, group);
          } finally {
            passEnded(null);
          }
        });
      }
    },

    passes: () => passes,

    onPass(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    ensureBuilt() {
      built = ensureBuilt();
      return built;
    },

    async rebuild(entity) {
      await rebuildFamilies(families.filter((family) => !entity || family.entity === entity));
    },
  };
}
