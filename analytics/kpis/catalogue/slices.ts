import type { Dimension } from '../board-view';

/** Order-level numbers booked before an order has a warehouse: by channel, region and category. */
export const ORDER_SLICES: readonly Dimension[] = ['channel', 'region', 'category'];
/** Numbers booked at or after shipment, which also know the warehouse and carrier. */
export const SHIPPED_SLICES: readonly Dimension[] = ['channel', 'region', 'warehouse', 'category', 'carrier'];
