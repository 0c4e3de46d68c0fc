import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { toChDateTime } from '../../ch-time';
import type { Analytics } from '../../clickhouse';
import { withPriority } from '../../with-priority';
import { partFilter, partParams, type EntityScope, type KeyRange, type LedgerEventRow, type LedgerFamily } from './ledger-family';
import { orderIdRanges } from './order-ranges';

/**
 * Keeps `kpi_ledger_hourly` (and through its views `kpi_ledger_daily`, `_monthly` and the
 * per-slice `_monthly_slices`, `_daily_slices` and `_hourly_slices`) equal to the sum of every family's
 * contributions. `kpi_ledger_contributions` holds what each entity contributed when it was last
 * applied; `apply` diffs the entities stored events touch against it and inserts the
 * difference there, and the table's view adds the same difference to the ledger. So late,
 * out-of-order or corrected events move a number exactly as far as they should, and applying
 * the same entities again adds nothing. Applies must run one at a time (the ledger worker's
 * passes do), or two diffs of one entity against the same old contribution would both count.
 */
export interface KpiLedger {
  /**
   * Brings the entities these stored events touch up to date in the ledger. Given a function, it
   * takes the events when the pass's turn comes: a worker hands over what was stored meanwhile.
   * `handedOn` is called as soon as the onPass listeners have a small pass's difference: on chDB,
   * before it is stored, since nothing else runs there until the turn that stores it ends — a
   * board may push it while the store runs (a store that then fails ends one more pass, without
   * a difference, so nothing holds the sums it was added to).
   */
  apply(events: readonly LedgerEventRow[] | (() => readonly LedgerEventRow[]), o?: { handedOn?: () => void }): Promise<void>;
  /**
   * Passes that have written to the ledger through this object so far (a rebuild counts as two).
   * On chDB, which runs one statement at a time, a read that notes it inside its turn knows
   * exactly which passes it saw.
   */
  passes(): number;
  /**
   * Called with every pass as it ends, inside its turn on chDB: before any other statement runs
   * (a small pass's, on chDB, once its difference is read, with its store still to come in the turn).
   */
  onPass(listener: (pass: LedgerPass) => void): () => void;
  /**
   * Rebuilds every family whose SQL changed since it was built (or was never built); `starting`
   * is told which before the rebuild begins.
   */
  ensureBuilt(o?: { starting?: (families: string[]) => void }): Promise<string[]>;
  /** Rebuilds one family, or all, from the facts tables. */
  rebuild(entity?: string): Promise<void>;
}

/**
 * The ledger's sums, each with the view that fills it as passes land: the contributions' view
 * fills the hourly table, whose views fill the rest. A rebuild fills them in this order.
 */
const LEDGER_SUMS = [
  { table: 'kpi_ledger_hourly', view: 'kpi_ledger_contributions_mv' },
  { table: 'kpi_ledger_daily', view: 'kpi_ledger_daily_mv' },
  { table: 'kpi_ledger_daily_slices', view: 'kpi_ledger_daily_slices_mv' },
  { table: 'kpi_ledger_hourly_slices', view: 'kpi_ledger_hourly_slices_mv' },
  { table: 'kpi_ledger_monthly', view: 'kpi_ledger_monthly_mv' },
  { table: 'kpi_ledger_monthly_slices', view: 'kpi_ledger_monthly_slices_mv' },
] as const;
const LEDGER_COLUMNS = 'metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket';
const KEYS_PER_QUERY = 50_000;
/** Every family's columns as the contributions table types them, so the families' SELECTs unite. */
const TYPED_COLUMNS = `toString(entity_key) AS entity_key, toString(metric) AS metric, hour, toString(channel) AS channel,
    toString(region) AS region, toString(warehouse) AS warehouse, toString(category) AS category,
    toString(carrier) AS carrier, toString(supplier) AS supplier, toString(detail) AS detail,
    toInt32(bucket) AS bucket, toDecimal128(value, 4) AS value`;
/**
 * A rebuild's insert into an empty copy: its rows are grouped by the table's key already, so
 * summing them again on insert (a third of a sum table's refill) and deduplicating are moot.
 */
const GROUPED_INSERT = 'insert_deduplicate = 0, optimize_on_insert = 0';
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
function contributionsOf(family: LedgerFamily, scope: EntityScope): string {
  const only =
    scope === 'all' ? '' : `\nWHERE ${scope === 'keys' ? 'entity_key IN {keys:Array(String)}' : partFilter('entity_key', scope)}`;
  return `SELECT entity_key, metric, toStartOfHour(hour) AS hour, channel, region, warehouse, category, carrier, supplier, detail, bucket, value
FROM (${family.contributionsSql(scope)})${only}`;
}

/**
 * A rebuild replays each family in parts of its entities, one part per this many stored events:
 * a family's joins over a year of orders (order fulfilment's above all) outgrow the engine's
 * memory in one statement, and a part's fit whatever the history.
 */
const EVENTS_PER_REBUILD_PART = 2_000_000;

export function createKpiLedger(
  analytics: Analytics,
  families: readonly LedgerFamily[],
  /** `rebuildParts`: the parts a rebuild replays each family in (default: one per EVENTS_PER_REBUILD_PART events). */
  o: { rebuildParts?: number } = {},
): KpiLedger {
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

  /** Reads a small pass's difference: the rows to store, and the same rows for the boards. */
  const readDifference = async (on: Analytics, touched: readonly { family: LedgerFamily; keys: string[] }[]) => {
    const { select, params } = differenceSql(touched);
    const rows = await on.query({
      name: 'kpi-ledger.difference',
      // Named apart from `value`, which HAVING sums.
      sql: select('toString(sum(value)) AS change'),
      params,
      schema: contributionRowSchema,
      timeoutMs: APPLY_TIMEOUT_MS,
    });
    const store = () =>
      // A token of its own: a retried insert is stored once, another pass's equal rows are not dropped.
      on.insert({
        name: 'kpi-ledger.store-difference',
        table: 'kpi_ledger_contributions',
        rows: rows.map(({ change, ...row }) => ({ ...row, value: change })),
        deduplicationToken: randomUUID(),
      });
    const difference = rows.map(
      ({ family: _family, entity_key: _key, hour, change, ...key }): LedgerDifferenceRow => ({
        ...key,
        hour: hour.slice(0, 19),
        value: Number(change),
      }),
    );
    return { store, difference };
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

  /**
   * Rebuilds these families' contributions, then every sum from the contributions. Each table is
   * filled in a copy without views and swapped in partition by partition, so the rows are written
   * once, by one aggregate per table, rather than block by block through the chain of views; and
   * a reader sees each partition whole, old or new. A family counts as built once the sums are.
   */
  const rebuildFamilies = async (chosen: readonly LedgerFamily[]) => {
    // Counted as passes before and after: a read made meanwhile may have seen half of it.
    passEnded(null);
    try {
      const parts = o.rebuildParts ?? Math.max(1, Math.ceil((await storedEvents()) / EVENTS_PER_REBUILD_PART));
      // Cut once for every order family: their facts tables are ordered by order id.
      let orderRanges: Promise<KeyRange[]> | null = null;
      const scopesOf = (family: LedgerFamily): Promise<EntityScope[]> => {
        if (parts === 1) return Promise.resolve(['all']);
        if (family.keys === 'order') return (orderRanges ??= orderIdRanges(analytics, parts));
        return Promise.resolve(Array.from({ length: parts }, (_, part) => ({ part, of: parts })));
      };
      await withStagingCopy('kpi_ledger_contributions', async (staging) => {
        for (const family of chosen) {
          const started = Date.now();
          await replayFamily(family, staging, await scopesOf(family));
          console.log(`[kpi-ledger] built ${family.entity} contributions in ${Date.now() - started} ms`);
        }
      });
      await dropRetiredFamilies();
      const started = Date.now();
      for (const { table, view } of LEDGER_SUMS) await refillSums(table, view);
      console.log(`[kpi-ledger] summed the contributions in ${Date.now() - started} ms`);
      await recordBuilds(chosen);
    } finally {
      passEnded(null);
    }
  };

  /** Stored events: every family's facts come from them. */
  const storedEvents = async () => {
    const [row] = await analytics.query({
      name: 'kpi-ledger.stored-events',
      sql: 'SELECT count() AS events FROM events',
      schema: z.object({ events: z.number() }),
    });
    return row?.events ?? 0;
  };

  /** A copy of `table` (engine, keys, partitions; none of its views) for `fill`, dropped after. */
  const withStagingCopy = async (table: string, fill: (staging: string) => Promise<void>) => {
    const staging = `${table}_rebuild`;
    const command = (step: string, sql: string) => analytics.command({ name: `kpi-ledger.${step}-${staging}`, sql, timeoutMs: REBUILD_TIMEOUT_MS });
    await command('drop', `DROP TABLE IF EXISTS ${staging}`);
    await command('create', `CREATE TABLE ${staging} AS ${table}`);
    try {
      await fill(staging);
    } finally {
      await command('drop', `DROP TABLE IF EXISTS ${staging}`);
    }
  };

  /** The family's contributions, staged part by part of its entities, then swapped in for its partition of the contributions. */
  const replayFamily = async (family: LedgerFamily, staging: string, scopes: readonly EntityScope[]) => {
    for (const scope of scopes) {
      await analytics.command({
        name: `kpi-ledger.${family.entity}.rebuild`,
        sql: `INSERT INTO ${staging} (family, entity_key, ${LEDGER_COLUMNS}, value)
SELECT {family:String}, entity_key, ${LEDGER_COLUMNS}, sum(value)
FROM (${contributionsOf(family, scope)})
GROUP BY entity_key, ${LEDGER_COLUMNS}
HAVING sum(value) != 0
SETTINGS ${GROUPED_INSERT}`,
        params: { family: family.entity, ...(typeof scope === 'object' ? partParams(scope) : {}) },
        timeoutMs: REBUILD_TIMEOUT_MS,
      });
    }
    await analytics.command({
      name: `kpi-ledger.${family.entity}.swap-in`,
      // A family with nothing to contribute (no such events yet) empties its partition.
      sql: `ALTER TABLE kpi_ledger_contributions REPLACE PARTITION {family:String} FROM ${staging}
SETTINGS allow_replace_partition_from_empty_source = 1`,
      params: { family: family.entity },
      timeoutMs: REBUILD_TIMEOUT_MS,
    });
  };

  /** Contributions of a family the code no longer has (renamed, removed) would count in every sum rebuilt from them. */
  const dropRetiredFamilies = async () => {
    const present = await analytics.query({
      name: 'kpi-ledger.families-stored',
      sql: `SELECT DISTINCT partition AS family FROM system.parts
WHERE database = currentDatabase() AND table = 'kpi_ledger_contributions' AND active`,
      schema: z.object({ family: z.string() }),
    });
    const known = new Set(families.map((family) => family.entity));
    for (const { family } of present.filter((p) => !known.has(p.family))) {
      await analytics.command({
        name: 'kpi-ledger.drop-retired-family',
        sql: 'ALTER TABLE kpi_ledger_contributions DROP PARTITION {family:String}',
        params: { family },
        timeoutMs: REBUILD_TIMEOUT_MS,
      });
    }
  };

  /** One sum table, computed whole by its view's own SELECT and swapped in partition by partition. */
  const refillSums = async (table: string, view: string) => {
    const [definition] = await analytics.query({
      name: 'kpi-ledger.view-definition',
      sql: `SELECT as_select,
       (SELECT arrayStringConcat(groupArray(name), ', ') FROM (SELECT name FROM system.columns
        WHERE database = currentDatabase() AND table = {table:String} ORDER BY position)) AS columns
FROM system.tables WHERE database = currentDatabase() AND name = {view:String}`,
      params: { table, view },
      schema: z.object({ as_select: z.string(), columns: z.string() }),
    });
    if (!definition) throw new Error(`the ledger's view ${view} is missing: run the analytics migrations`);
    await withStagingCopy(table, async (staging) => {
      // By name, as the view itself writes.
      await analytics.command({
        name: `kpi-ledger.sum-${table}`,
        sql: `INSERT INTO ${staging} (${definition.columns})
SELECT ${definition.columns} FROM (${definition.as_select}) WHERE value != 0
SETTINGS ${GROUPED_INSERT}`,
        timeoutMs: REBUILD_TIMEOUT_MS,
      });
      const partitionsOf = async (name: string) =>
        (
          await analytics.query({
            name: 'kpi-ledger.partitions',
            sql: 'SELECT DISTINCT partition_id FROM system.parts WHERE database = currentDatabase() AND table = {name:String} AND active',
            params: { name },
            schema: z.object({ partition_id: z.string() }),
          })
        ).map((p) => p.partition_id);
      const fresh = await partitionsOf(staging);
      const old = await partitionsOf(table);
      for (const id of fresh) {
        await analytics.command({
          name: `kpi-ledger.swap-in-${table}`,
          sql: `ALTER TABLE ${table} REPLACE PARTITION ID {id:String} FROM ${staging}`,
          params: { id },
          timeoutMs: REBUILD_TIMEOUT_MS,
        });
      }
      for (const id of old.filter((p) => !fresh.includes(p))) {
        await analytics.command({
          name: `kpi-ledger.drop-${table}`,
          sql: `ALTER TABLE ${table} DROP PARTITION ID {id:String}`,
          params: { id },
          timeoutMs: REBUILD_TIMEOUT_MS,
        });
      }
    });
  };

  const recordBuilds = async (chosen: readonly LedgerFamily[]) => {
    const builtAt = toChDateTime(new Date());
    await analytics.insert({
      name: 'kpi-ledger.record-build',
      table: 'kpi_ledger_builds',
      rows: chosen.map((family) => ({ family: family.entity, checksum: checksumOf(family), built_at: builtAt })),
    });
  };

  const ensureBuilt = async (o: { starting?: (families: string[]) => void } = {}): Promise<string[]> => {
    const rows = await analytics.query({
      name: 'kpi-ledger.builds',
      sql: 'SELECT family, argMax(checksum, built_at) AS checksum FROM kpi_ledger_builds GROUP BY family',
      schema: builtRowSchema,
    });
    const current = new Map(rows.map((r) => [r.family, r.checksum]));
    const stale = families.filter((family) => current.get(family.entity) !== checksumOf(family));
    const names = stale.map((family) => family.entity);
    if (stale.length === 0) return names;
    o.starting?.(names);
    await rebuildFamilies(stale);
    return names;
  };

  return {
    async apply(events, o) {
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
        const rows = typeof events === 'function' ? events() : events;
        const touched = await Promise.all(families.map((family) => family.touchedBy(rows, turn)));
        const statements = groupsOf(touched);
        if (statements.length !== 1) return statements;
        let ended = false;
        const handOn = (difference: LedgerDifferenceRow[]) => {
          ended = true;
          passEnded(difference);
          o?.handedOn?.();
        };
        try {
          // Read into JS only when someone takes it (live boards on chDB), and only a small pass's.
          if (listeners.size === 0 || rows.length > DIFFERENCE_EVENTS) {
            await applyTouched(turn, statements[0]);
          } else {
            const { store, difference } = await readDifference(turn, statements[0]);
            // On chDB nothing runs between this and the store (one turn): the boards may take it
            // now. A server would let a board's read in before the store, so it waits there.
            const early = analytics.engine === 'chdb';
            if (early) handOn(difference);
            try {
              await store();
            } catch (err) {
              if (early) passEnded(null);
              throw err;
            }
            if (!early) handOn(difference);
          }
        } finally {
          if (!ended) passEnded(null);
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

    ensureBuilt(o) {
      built = ensureBuilt(o);
      return built;
    },

    async rebuild(entity) {
      await rebuildFamilies(families.filter((family) => !entity || family.entity === entity));
    },
  };
}
