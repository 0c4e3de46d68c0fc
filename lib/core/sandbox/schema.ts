import { Migrator, sql, type Generated, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * The sandbox core's own tables in the transactional store. Lines live in jsonb next to their
 * header: they are always read and written with it.
 */
type Timestamp = Date | string;

export type SandboxMetaTable = {
  key: string;
  value: unknown;
};
export type SandboxSkuTable = {
  sku: string;
  name: string;
  category: string;
  family: string;
  price: number | string;
  cost: number | string;
  supplier: string;
  value_class: string;
};
export type SandboxStockTable = {
  warehouse: string;
  sku: string;
  on_hand: number;
  reserved: number;
  last_received_at: Timestamp | null;
  last_counted_at: Timestamp | null;
};
export type SandboxOrderTable = {
  order_id: string;
  channel: string;
  customer_id: string;
  segment: string;
  region: string;
  currency: string;
  payment_method: string;
  status: string;
  hold_reason: string | null;
  hold_outcome: string | null;
  warehouse: string | null;
  created_at: Timestamp;
  promised_ship_by: Timestamp;
  promised_delivery_by: Timestamp;
  shipping_charged: number | string;
  amount: number | string;
  backordered_at: Timestamp | null;
  delay_hours: number;
  expedited: Generated<boolean>;
  next_step_at: Timestamp | null;
  lines: unknown;
};
export type SandboxPickTable = {
  pick_id: string;
  order_id: string;
  warehouse: string;
  status: string;
  wave: string;
  zone: string;
  picker: string | null;
  errors: number;
  created_at: Timestamp;
  due_by: Timestamp;
  completed_at: Timestamp | null;
  lines: unknown;
};
export type SandboxShipmentTable = {
  shipment_id: string;
  order_id: string;
  warehouse: string;
  carrier: string;
  service: string;
  tracking: string;
  shipping_cost: number | string;
  status: string;
  planned_exception: string | null;
  exception_at: Timestamp | null;
  shipped_at: Timestamp;
  eta: Timestamp;
  delivered_at: Timestamp | null;
  lines: unknown;
};
export type SandboxReturnTable = {
  return_id: string;
  order_id: string;
  channel: string;
  warehouse: string;
  payment_method: string;
  status: string;
  requested_at: Timestamp;
  refund_id: string | null;
  next_step_at: Timestamp | null;
  lines: unknown;
};
export type SandboxRefundTable = {
  refund_id: string;
  order_id: string;
  return_id: string | null;
  amount: number | string;
  method: string;
  status: string;
  outcome: string;
  requested_at: Timestamp;
  next_step_at: Timestamp | null;
};
export type SandboxPurchaseOrderTable = {
  po_id: string;
  supplier: string;
  warehouse: string;
  status: string;
  created_at: Timestamp;
  expected_at: Timestamp;
  arrives_at: Timestamp;
  lines: unknown;
};
export type SandboxOutboxTable = {
  position: Generated<number>;
  event_id: string;
  event: unknown;
};

export type SandboxTables = {
  sandbox_meta: SandboxMetaTable;
  sandbox_skus: SandboxSkuTable;
  sandbox_stock: SandboxStockTable;
  sandbox_orders: SandboxOrderTable;
  sandbox_picks: SandboxPickTable;
  sandbox_shipments: SandboxShipmentTable;
  sandbox_returns: SandboxReturnTable;
  sandbox_refunds: SandboxRefundTable;
  sandbox_purchase_orders: SandboxPurchaseOrderTable;
  sandbox_outbox: SandboxOutboxTable;
};

const initialState: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = 'timestamptz' as const;
    const money = 'numeric(14, 4)' as const;
    await db.schema.createTable('sandbox_meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'jsonb', (c) => c.notNull()).execute();
    await db.schema
      .createTable('sandbox_skus')
      .addColumn('sku', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('price', money, (c) => c.notNull())
      .addColumn('cost', money, (c) => c.notNull())
      .addColumn('supplier', 'text', (c) => c.notNull())
      .addColumn('value_class', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sandbox_stock')
      .addColumn('warehouse', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('on_hand', 'integer', (c) => c.notNull().check(sql`on_hand >= 0`))
      .addColumn('reserved', 'integer', (c) => c.notNull().check(sql`reserved >= 0 and reserved <= on_hand`))
      .addColumn('last_received_at', ts)
      .addColumn('last_counted_at', ts)
      .addPrimaryKeyConstraint('sandbox_stock_pk', ['warehouse', 'sku'])
      .execute();
    await db.schema
      .createTable('sandbox_orders')
      .addColumn('order_id', 'text', (c) => c.primaryKey())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('payment_method', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('hold_reason', 'text')
      .addColumn('hold_outcome', 'text')
      .addColumn('warehouse', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('promised_ship_by', ts, (c) => c.notNull())
      .addColumn('promised_delivery_by', ts, (c) => c.notNull())
      .addColumn('shipping_charged', money, (c) => c.notNull())
      .addColumn('amount', money, (c) => c.notNull())
      .addColumn('backordered_at', ts)
      .addColumn('delay_hours', 'double precision', (c) => c.notNull())
      .addColumn('next_step_at', ts)
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sandbox_orders_status').on('sandbox_orders').columns(['status', 'created_at']).execute();
    await db.schema
      .createTable('sandbox_picks')
      .addColumn('pick_id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('warehouse', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('wave', 'text', (c) => c.notNull())
      .addColumn('zone', 'text', (c) => c.notNull())
      .addColumn('picker', 'text')
      .addColumn('errors', 'integer', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('due_by', ts, (c) => c.notNull())
      .addColumn('completed_at', ts)
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sandbox_picks_order').on('sandbox_picks').column('order_id').execute();
    await db.schema
      .createTable('sandbox_shipments')
      .addColumn('shipment_id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('warehouse', 'text', (c) => c.notNull())
      .addColumn('carrier', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('tracking', 'text', (c) => c.notNull())
      .addColumn('shipping_cost', money, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('planned_exception', 'text')
      .addColumn('exception_at', ts)
      .addColumn('shipped_at', ts, (c) => c.notNull())
      .addColumn('eta', ts, (c) => c.notNull())
      .addColumn('delivered_at', ts)
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sandbox_shipments_order').on('sandbox_shipments').column('order_id').execute();
    await db.schema
      .createTable('sandbox_returns')
      .addColumn('return_id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('warehouse', 'text', (c) => c.notNull())
      .addColumn('payment_method', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_at', ts, (c) => c.notNull())
      .addColumn('refund_id', 'text')
      .addColumn('next_step_at', ts)
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sandbox_refunds')
      .addColumn('refund_id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('return_id', 'text')
      .addColumn('amount', money, (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('requested_at', ts, (c) => c.notNull())
      .addColumn('next_step_at', ts)
      .execute();
    await db.schema
      .createTable('sandbox_purchase_orders')
      .addColumn('po_id', 'text', (c) => c.primaryKey())
      .addColumn('supplier', 'text', (c) => c.notNull())
      .addColumn('warehouse', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expected_at', ts, (c) => c.notNull())
      .addColumn('arrives_at', ts, (c) => c.notNull())
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sandbox_outbox')
      .addColumn('position', 'bigserial', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('event', 'jsonb', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['sandbox_outbox', 'sandbox_purchase_orders', 'sandbox_refunds', 'sandbox_returns', 'sandbox_shipments', 'sandbox_picks', 'sandbox_orders', 'sandbox_stock', 'sandbox_skus', 'sandbox_meta']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  },
};

/** Expedite is an action's decision the world must remember until the order ships. */
const expeditedOrders: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sandbox_orders').addColumn('expedited', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('sandbox_orders').dropColumn('expedited').execute();
  },
};

/** Migrations live in code so a bundled server never has to find SQL files on disk. */
const provider: MigrationProvider = {
  getMigrations: async () => ({ '001-sandbox-state': initialState, '002-expedited-orders': expeditedOrders }),
};

export class SandboxMigrationError extends Error {
  constructor(cause: unknown) {
    super(`The sandbox core could not prepare its tables in the transactional store: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SandboxMigrationError';
  }
}

/** Brings the sandbox tables up to date; safe to run at every start. Returns the migrations applied. */
export async function migrateSandbox(db: Kysely<object>): Promise<string[]> {
  // Named explicitly: Kysely otherwise looks for its ledger in any schema and may find another tenant's.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'sandbox_migrations',
    migrationLockTableName: 'sandbox_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new SandboxMigrationError(error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
