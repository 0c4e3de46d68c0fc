import { sql, type Kysely } from 'kysely';
import type { Catalogue } from './catalogue';
import {
  eventToOutboxRow, metaSchema, metaToValue, orderRow, orderToRow, outboxEvent, pickRow, pickToRow, purchaseOrderRow, purchaseOrderToRow,
  refundRow, refundToRow, returnRow, returnToRow, shipmentRow, shipmentToRow, stockRow, stockToRow,
} from './rows';
import type { SandboxEvent } from './sandbox-events';
import type { SandboxTables } from './schema';
import { emptyWorld, stockKey, type Order, type World } from './world';

/** Reading and writing the sandbox world in the transactional store. */
const META_KEY = 'world';
const ROWS_PER_STATEMENT = 10_000;

const columnTypes = new Map<string, Promise<Map<string, string>>>();

/** The table's column types as the database itself knows them, so rows can travel as one jsonb value. */
function typesOf(db: Kysely<object>, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = sql<{ column_name: string; udt_name: string }>`select column_name, udt_name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}`
      .execute(db)
      .then((r) => new Map(r.rows.map((c) => [c.column_name, c.udt_name])));
    columnTypes.set(table, types);
  }
  return types;
}

/**
 * Inserts or updates rows in bulk. The rows go as a single jsonb parameter expanded by
 * jsonb_to_recordset: far cheaper than tens of thousands of bound parameters, still never text
 * glued into SQL. Update-then-insert beats ON CONFLICT on PGlite by about half.
 */
async function upsert(db: Kysely<object>, table: keyof SandboxTables, key: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const types = await typesOf(db, table);
  const columns = Object.keys(rows[0]);
  const ref = (c: string) => sql.ref(c);
  const shape = sql.join(columns.map((c) => sql`${ref(c)} ${sql.raw(safeType(types.get(c)))}`));
  const updates = columns.filter((c) => !key.includes(c));
  const target = sql.table(table);
  const matches = (left: string) => sql.join(key.map((k) => sql`${sql.ref(`${left}.${k}`)} = ${sql.ref(`r.${k}`)}`), sql` and `);
  const update = updates.length
    ? sql`update ${target} set ${sql.join(updates.map((c) => sql`${ref(c)} = ${sql.ref(`r.${c}`)}`))} from r where ${matches(table)} returning ${sql.join(key.map((k) => sql.ref(`${table}.${k}`)))}`
    : sql`select ${sql.join(key.map((k) => sql.ref(`${table}.${k}`)))} from ${target} join r on ${matches(table)}`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const payload = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT));
    await sql`with r as (select * from jsonb_to_recordset(${payload}::jsonb) as r(${shape})),
      existing as (${update})
      insert into ${target} (${sql.join(columns.map(ref))})
      select ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))} from r where not exists (select 1 from existing where ${matches('existing')})`.execute(db);
  }
}

/** Type names come from information_schema, never from input; still, only plain identifiers pass. */
function safeType(udt: string | undefined): string {
  if (!udt || !/^[a-z][a-z0-9_]*$/.test(udt)) throw new Error(`sandbox table column has an unexpected type: ${udt}`);
  return udt;
}

export async function hasStoredWorld(db: Kysely<object>): Promise<boolean> {
  const row = await db.withTables<SandboxTables>().selectFrom('sandbox_meta').select('key').where('key', '=', META_KEY).executeTakeFirst();
  return row !== undefined;
}

export async function saveCatalogue(db: Kysely<object>, catalogue: Catalogue): Promise<void> {
  await upsert(
    db,
    'sandbox_skus',
    ['sku'],
    catalogue.skus.map((s) => ({ sku: s.sku, name: s.name, category: s.category, family: s.family, price: s.price, cost: s.cost, supplier: s.supplier, value_class: s.valueClass })),
  );
}

/**
 * Writes every changed entity and the meta row in one transaction, with `outbox` events that
 * must reach the tower even if the process dies right after. Clears the dirty marks.
 */
export async function saveWorld(db: Kysely<object>, world: World, outbox: readonly SandboxEvent[] = []): Promise<void> {
  const { dirty } = world;
  const orders = [...dirty.orders].map((id) => world.orders.get(id)).filter((o): o is Order => o !== undefined);
  await db.transaction().execute(async (trx) => {
    await upsert(trx, 'sandbox_orders', ['order_id'], orders.map(orderToRow));
    await upsert(trx, 'sandbox_picks', ['pick_id'], orders.flatMap((o) => (o.pick ? [pickToRow(o.pick)] : [])));
    await upsert(trx, 'sandbox_shipments', ['shipment_id'], orders.flatMap((o) => (o.shipment ? [shipmentToRow(o.shipment)] : [])));
    await upsert(trx, 'sandbox_returns', ['return_id'], [...dirty.returns].flatMap((id) => { const r = world.returns.get(id); return r ? [returnToRow(r)] : []; }));
    await upsert(trx, 'sandbox_refunds', ['refund_id'], [...dirty.refunds].flatMap((id) => { const r = world.refunds.get(id); return r ? [refundToRow(r)] : []; }));
    await upsert(trx, 'sandbox_purchase_orders', ['po_id'], [...dirty.pos].flatMap((id) => { const p = world.pos.get(id); return p ? [purchaseOrderToRow(p)] : []; }));
    await upsert(trx, 'sandbox_stock', ['warehouse', 'sku'], [...dirty.stock].flatMap((k) => { const s = world.stock.get(k); return s ? [stockToRow(s)] : []; }));
    await upsert(trx, 'sandbox_meta', ['key'], [{ key: META_KEY, value: metaToValue(world.meta) }]);
    await upsert(trx, 'sandbox_outbox', ['event_id'], outbox.map(eventToOutboxRow));
  });
  for (const set of Object.values(dirty)) set.clear();
}

export async function clearOutbox(db: Kysely<object>, eventIds: readonly string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += 5_000) {
    await db.withTables<SandboxTables>().deleteFrom('sandbox_outbox').where('event_id', 'in', eventIds.slice(i, i + 5_000)).execute();
  }
}

/** The stored world with only what is still in flight, plus events saved but not yet delivered. */
export async function loadWorld(db: Kysely<object>): Promise<{ world: World; outbox: SandboxEvent[] } | null> {
  const tdb = db.withTables<SandboxTables>();
  const metaRow = await tdb.selectFrom('sandbox_meta').select('value').where('key', '=', META_KEY).executeTakeFirst();
  if (!metaRow) return null;
  const world = emptyWorld(metaSchema.parse(metaRow.value));

  const orders = await tdb.selectFrom('sandbox_orders').selectAll().where('status', 'not in', ['delivered', 'cancelled', 'lost']).orderBy('order_id').execute();
  for (const raw of orders) {
    const r = orderRow.parse(raw);
    const { next_step_at, ...rest } = r;
    world.orders.set(r.order_id, { ...rest, next_at: next_step_at, pick: null, shipment: null });
  }
  for (const raw of await tdb.selectFrom('sandbox_picks').selectAll().where('status', '=', 'open').execute()) {
    const p = pickRow.parse(raw);
    const order = world.orders.get(p.order_id);
    if (order) order.pick = p;
  }
  for (const raw of await tdb.selectFrom('sandbox_shipments').selectAll().where('status', 'in', ['in_transit', 'exception']).orderBy('shipped_at').execute()) {
    const s = shipmentRow.parse(raw);
    const order = world.orders.get(s.order_id);
    if (order) order.shipment = s;
  }
  for (const raw of await tdb.selectFrom('sandbox_returns').selectAll().where('status', 'not in', ['rejected', 'inspected']).orderBy('return_id').execute()) {
    const { next_step_at, ...rest } = returnRow.parse(raw);
    world.returns.set(rest.return_id, { ...rest, next_at: next_step_at });
  }
  for (const raw of await tdb.selectFrom('sandbox_refunds').selectAll().where('status', 'not in', ['rejected', 'issued']).orderBy('refund_id').execute()) {
    const { next_step_at, ...rest } = refundRow.parse(raw);
    world.refunds.set(rest.refund_id, { ...rest, next_at: next_step_at });
  }
  for (const raw of await tdb.selectFrom('sandbox_purchase_orders').selectAll().where('status', '=', 'open').orderBy('po_id').execute()) {
    const p = purchaseOrderRow.parse(raw);
    world.pos.set(p.po_id, p);
  }
  for (const raw of await tdb.selectFrom('sandbox_stock').selectAll().orderBy('warehouse').orderBy('sku').execute()) {
    const s = stockRow.parse(raw);
    world.stock.set(stockKey(s.warehouse, s.sku), s);
  }
  const outboxRows = await tdb.selectFrom('sandbox_outbox').select('event').orderBy('position').execute();
  return { world, outbox: outboxRows.map((r) => outboxEvent.parse(r.event)) };
}
