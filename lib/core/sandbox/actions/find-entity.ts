import type { Kysely } from 'kysely';
import type { OrderView, RefundView, ReturnView } from '../../entity-views';
import { CoreRefusal } from '../../transactional-core';
import { orderRow, refundRow, returnRow } from '../rows';
import type { SandboxTables } from '../schema';
import type { Order, Refund, ReturnCase, World } from '../world';
import { orderView, refundView, returnView } from './entity-views';
import { orderStatusWords } from './order-actions';

/**
 * Entities in flight live in memory; finished ones only in the store (or, after a backfill, only
 * in the tower's history). An action on a finished one is refused with its final state.
 */
export async function findOrder(world: World, db: Kysely<object>, orderId: string): Promise<Order> {
  const order = world.orders.get(orderId);
  if (order) return order;
  const stored = await db.withTables<SandboxTables>().selectFrom('sandbox_orders').select('status').where('order_id', '=', orderId).executeTakeFirst();
  if (stored) throw new CoreRefusal('invalid_state', `Order ${orderId} is ${orderStatusWords(stored.status)}; it is finished and can no longer change.`);
  throw new CoreRefusal('not_found', `The sandbox core has no open order ${orderId} (unknown, or finished before the sandbox kept its history).`);
}

export async function findRefund(world: World, db: Kysely<object>, refundId: string): Promise<Refund> {
  const refund = world.refunds.get(refundId);
  if (refund) return refund;
  const stored = await db.withTables<SandboxTables>().selectFrom('sandbox_refunds').select('status').where('refund_id', '=', refundId).executeTakeFirst();
  if (stored) throw new CoreRefusal('invalid_state', `Refund ${refundId} is already ${stored.status}; it can no longer change.`);
  throw new CoreRefusal('not_found', `The sandbox core has no open refund ${refundId} (unknown, or finished before the sandbox kept its history).`);
}

export async function findReturn(world: World, db: Kysely<object>, returnId: string): Promise<ReturnCase> {
  const rma = world.returns.get(returnId);
  if (rma) return rma;
  const stored = await db.withTables<SandboxTables>().selectFrom('sandbox_returns').select('status').where('return_id', '=', returnId).executeTakeFirst();
  if (stored) throw new CoreRefusal('invalid_state', `Return ${returnId} is already ${stored.status}; it can no longer change.`);
  throw new CoreRefusal('not_found', `The sandbox core has no open return ${returnId} (unknown, or finished before the sandbox kept its history).`);
}

/** Read side: memory first, then the stored row (pick and shipment details only for orders in flight). */
export async function describeOrder(world: World, db: Kysely<object>, orderId: string): Promise<OrderView | null> {
  const order = world.orders.get(orderId);
  if (order) return orderView(order);
  const raw = await db.withTables<SandboxTables>().selectFrom('sandbox_orders').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  if (!raw) return null;
  const { next_step_at, ...row } = orderRow.parse(raw);
  return orderView({ ...row, next_at: next_step_at, pick: null, shipment: null });
}

export async function describeRefund(world: World, db: Kysely<object>, refundId: string): Promise<RefundView | null> {
  const refund = world.refunds.get(refundId);
  if (refund) return refundView(refund);
  const raw = await db.withTables<SandboxTables>().selectFrom('sandbox_refunds').selectAll().where('refund_id', '=', refundId).executeTakeFirst();
  if (!raw) return null;
  const { next_step_at, ...row } = refundRow.parse(raw);
  return refundView({ ...row, next_at: next_step_at });
}

export async function describeReturn(world: World, db: Kysely<object>, returnId: string): Promise<ReturnView | null> {
  const rma = world.returns.get(returnId);
  if (rma) return returnView(rma);
  const raw = await db.withTables<SandboxTables>().selectFrom('sandbox_returns').selectAll().where('return_id', '=', returnId).executeTakeFirst();
  if (!raw) return null;
  const { next_step_at, ...row } = returnRow.parse(raw);
  return returnView({ ...row, next_at: next_step_at });
}
