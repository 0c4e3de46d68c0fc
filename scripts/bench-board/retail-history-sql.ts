/**
 * INSERT … SELECT statements that generate a retailer's history straight into `events`, inside
 * the engine (bench:board needs 100 million events; generating them in JavaScript would measure
 * the generator). Every event is contract-shaped, so the materialized views and the ledger
 * families read them exactly as they read ingested ones. Deterministic: values come from hashes
 * of the order number.
 *
 * Per order: created, allocated, pick created and completed, then shipped and delivered — or,
 * for 2 %, cancelled; 3 % are backordered first; 10 % of delivered orders come back (requested,
 * received, inspected, refund requested and issued). About 6.6 events per order. Beside the
 * orders, the stock: every SKU's count in every warehouse each evening and a receipt a week.
 */
export const EVENTS_PER_ORDER = 6.6;
export const SKUS = 2_000;

export interface HistoryShape {
  /** First and last order number of this chunk (inclusive, exclusive). */
  from: number;
  to: number;
  /** Epoch seconds of the first order and the spacing between orders. */
  startSeconds: number;
  stepSeconds: number;
  /** Epoch seconds now: nothing is generated after it. */
  nowSeconds: number;
}

const CHANNELS = "['web','web','web','amazon','zalando','b2b']";
const REGIONS = "['northeast','southeast','midwest','south','west','northwest']";
const WAREHOUSES = "['WH-EAST','WH-EAST','WH-CENTRAL','WH-CENTRAL','WH-WEST','WH-WEST']";
const CARRIERS = "['ups','dhl','fedex','usps']";
const REASONS = "['size','damaged','wrong_item','not_as_described','changed_mind','late','defective']";
const DISPOSITIONS = "['restock','refurbish','vendor_claim','liquidate','scrap']";
const CATEGORIES = "['apparel','footwear','home','electronics','beauty','sports']";

const iso = (seconds: string) => `formatDateTime(toDateTime(${seconds}, 'UTC'), '%Y-%m-%dT%H:%i:%SZ')`;
const chTime = (seconds: string) => `toDateTime64(${seconds}, 3, 'UTC')`;

/** Columns every generated event computes from the order number `k`. */
function orderColumns(shape: HistoryShape): string {
  return `
    number AS k,
    ${shape.startSeconds} + k * ${shape.stepSeconds} + (cityHash64(k, 'jitter') % ${Math.max(1, shape.stepSeconds)}) AS created_s,
    ${CHANNELS}[1 + cityHash64(k, 'channel') % 6] AS channel,
    ${REGIONS}[1 + cityHash64(k, 'region') % 6] AS region,
    ${WAREHOUSES}[1 + cityHash64(k, 'region') % 6] AS warehouse,
    ${CARRIERS}[1 + cityHash64(k, 'carrier') % 4] AS carrier,
    1 + cityHash64(k, 'lines') % 3 AS line_count,
    arrayMap(j -> cityHash64(k, j, 'sku') % ${SKUS}, range(line_count)) AS skus,
    arrayMap(j -> 1 + cityHash64(k, j, 'qty') % 3, range(line_count)) AS qtys,
    cityHash64(k, 'fate') % 1000 AS fate,
    created_s + 3600 + cityHash64(k, 'ship') % (3 * 86400) AS shipped_s,
    shipped_s + 86400 + cityHash64(k, 'deliver') % (4 * 86400) AS delivered_s,
    delivered_s + 2 * 86400 + cityHash64(k, 'ret') % (8 * 86400) AS return_s,
    concat('B-', toString(k)) AS order_id`;
}

const skuName = (expr: string) => `concat('SKU-', leftPad(toString(${expr}), 5, '0'))`;
const price = (expr: string) => `toString(5 + (${expr}) % 200 + 0.99)`;
const cost = (expr: string) => `toString(round((5 + (${expr}) % 200 + 0.99) * 0.45, 2))`;

function lineJson(withPrice: boolean): string {
  return `arrayStringConcat(arrayMap((s, q) -> concat('{"sku":"', ${skuName('s')}, '","qty":', toString(q)${
    withPrice ? `, ',"unit_price":', ${price('s')}, ',"unit_cost":', ${cost('s')}` : ''
  }, '}'), skus, qtys), ',')`;
}

interface Draft {
  type: string;
  /** Seconds expression for occurred_at. */
  at: string;
  /** Condition on the order (fate, time). */
  when: string;
  data: string;
  idPrefix: string;
}

const drafts: Draft[] = [
  {
    type: 'order.created',
    at: 'created_s',
    when: '1',
    idPrefix: 'c',
    data: `concat('{"order_id":"', order_id, '","channel":"', channel, '","region":"', region, '","currency":"USD","promised_ship_by":"', ${iso('created_s + 2 * 86400')}, '","promised_delivery_by":"', ${iso('created_s + 5 * 86400')}, '","lines":[', ${lineJson(true)}, ']}')`,
  },
  {
    type: 'order.backordered',
    at: 'created_s + 600',
    when: 'fate >= 20 AND fate < 50',
    idPrefix: 'bo',
    data: `concat('{"order_id":"', order_id, '","warehouse":"', warehouse, '","lines":[{"sku":"', ${skuName('skus[1]')}, '","qty_short":1}]}')`,
  },
  {
    type: 'order.cancelled',
    at: 'created_s + 1800',
    when: 'fate < 20',
    idPrefix: 'x',
    data: `concat('{"order_id":"', order_id, '","reason":"customer request","initiated_by":"', ['customer','seller','system'][1 + fate % 3], '"}')`,
  },
  {
    type: 'order.allocated',
    at: 'created_s + 900',
    when: 'fate >= 20',
    idPrefix: 'a',
    data: `concat('{"order_id":"', order_id, '","warehouse":"', warehouse, '","lines":[', ${lineJson(false)}, ']}')`,
  },
  {
    type: 'pick.created',
    at: 'created_s + 1200',
    when: 'fate >= 20',
    idPrefix: 'pc',
    data: `concat('{"pick_id":"P-', toString(k), '","order_id":"', order_id, '","warehouse":"', warehouse, '","lines":[', ${lineJson(false)}, ']}')`,
  },
  {
    type: 'pick.completed',
    at: 'shipped_s - 1800',
    when: 'fate >= 20 AND shipped_s - 1800 <= {now:UInt64}',
    idPrefix: 'pd',
    data: `concat('{"pick_id":"P-', toString(k), '","order_id":"', order_id, '","warehouse":"', warehouse, '","lines":[', arrayStringConcat(arrayMap((s, q) -> concat('{"sku":"', ${skuName('s')}, '","qty_required":', toString(q), ',"qty_picked":', toString(if(fate % 500 = 7, q - 1, q)), '}'), skus, qtys), ','), ']}')`,
  },
  {
    type: 'order.shipped',
    at: 'shipped_s',
    when: 'fate >= 20 AND shipped_s <= {now:UInt64}',
    idPrefix: 's',
    data: `concat('{"order_id":"', order_id, '","shipment_id":"S-', toString(k), '","warehouse":"', warehouse, '","carrier":"', carrier, '","shipping_cost":', toString(4 + cityHash64(k, 'cost') % 9), ',"lines":[', ${lineJson(false)}, ']}')`,
  },
  {
    type: 'order.delivered',
    at: 'delivered_s',
    when: 'fate >= 20 AND delivered_s <= {now:UInt64}',
    idPrefix: 'd',
    data: `concat('{"order_id":"', order_id, '","shipment_id":"S-', toString(k), '"}')`,
  },
  {
    type: 'return.requested',
    at: 'return_s',
    when: 'fate >= 900 AND return_s <= {now:UInt64}',
    idPrefix: 'rq',
    data: `concat('{"return_id":"R-', toString(k), '","order_id":"', order_id, '","lines":[{"sku":"', ${skuName('skus[1]')}, '","qty":1,"reason_code":"', ${REASONS}[1 + fate % 7], '"}]}')`,
  },
  {
    type: 'return.received',
    at: 'return_s + 3 * 86400',
    when: 'fate >= 900 AND return_s + 3 * 86400 <= {now:UInt64}',
    idPrefix: 'rr',
    data: `concat('{"return_id":"R-', toString(k), '","warehouse":"', warehouse, '","lines":[{"sku":"', ${skuName('skus[1]')}, '","qty":1,"condition":"good"}]}')`,
  },
  {
    type: 'return.inspected',
    at: 'return_s + 4 * 86400',
    when: 'fate >= 900 AND return_s + 4 * 86400 <= {now:UInt64}',
    idPrefix: 'ri',
    data: `concat('{"return_id":"R-', toString(k), '","lines":[{"sku":"', ${skuName('skus[1]')}, '","qty":1,"disposition":"', ${DISPOSITIONS}[1 + fate % 5], '","recovery_value":', toString(round((5 + skus[1] % 200) * 0.3, 2)), '}]}')`,
  },
  {
    type: 'refund.requested',
    at: 'return_s + 3 * 86400 + 600',
    when: 'fate >= 900 AND return_s + 3 * 86400 + 600 <= {now:UInt64}',
    idPrefix: 'fq',
    data: `concat('{"refund_id":"F-', toString(k), '","order_id":"', order_id, '","return_id":"R-', toString(k), '","amount":', ${price('skus[1]')}, '}')`,
  },
  {
    type: 'refund.issued',
    at: 'return_s + 5 * 86400',
    when: 'fate >= 900 AND return_s + 5 * 86400 <= {now:UInt64}',
    idPrefix: 'fi',
    data: `concat('{"refund_id":"F-', toString(k), '","order_id":"', order_id, '","amount":', ${price('skus[1]')}, '}')`,
  },
];

/** One statement per event type for the orders [from, to); bind {now:UInt64}. */
export function orderHistoryStatements(shape: HistoryShape): { type: string; sql: string }[] {
  return drafts.map((d) => ({
    type: d.type,
    sql: `INSERT INTO events (id, type, occurred_at, received_at, source, order_id, data, attrs)
SELECT
    concat('bench-${d.idPrefix}-', toString(k)) AS id,
    '${d.type}' AS type,
    ${chTime(d.at)} AS occurred_at,
    ${chTime(d.at)} AS received_at,
    'bench' AS source,
    ${d.type.startsWith('return.') && d.type !== 'return.requested' ? "''" : 'order_id'} AS order_id,
    ${d.data} AS data,
    '{}' AS attrs
FROM (SELECT ${orderColumns(shape)} FROM numbers(${shape.from}, ${shape.to - shape.from}))
WHERE ${d.when} AND ${d.at} <= {now:UInt64}`,
  }));
}

/** The product dimension of the generated SKUs. */
export function productStatement(atSeconds: number): string {
  return `INSERT INTO events (id, type, occurred_at, received_at, source, order_id, data, attrs)
SELECT
    concat('bench-p-', toString(number)) AS id,
    'product.updated' AS type,
    ${chTime(String(atSeconds))} AS occurred_at,
    ${chTime(String(atSeconds))} AS received_at,
    'bench' AS source,
    '' AS order_id,
    concat('{"sku":"', ${skuName('number')}, '","category":"', ${CATEGORIES}[1 + number % 6], '","value_class":"', ['A','B','C','C'][1 + number % 4], '","unit_cost":', ${cost('number')}, ',"supplier":"SUP-', toString(number % 12), '"}') AS data,
    '{}' AS attrs
FROM numbers(${SKUS})`;
}

const STOCK_WAREHOUSES = "['WH-EAST','WH-CENTRAL','WH-WEST']";

/**
 * The stock of every SKU in every warehouse: the core's count each evening (`stock.snapshot`, a
 * few percent of pairs out of stock on any day) and a receipt a week (`stock.received`, at a cost
 * near the SKU's), for the stock tiles and the stock ageing. Bind {now:UInt64}.
 */
export function stockHistoryStatements(startSeconds: number, days: number): { type: string; sql: string }[] {
  const pairs = SKUS * 3;
  const event = (type: string, idPrefix: string, count: number, at: string, data: string) => ({
    type,
    sql: `INSERT INTO events (id, type, occurred_at, received_at, source, order_id, data, attrs)
SELECT
    concat('bench-${idPrefix}-', toString(number)) AS id,
    '${type}' AS type,
    ${chTime('at_s')} AS occurred_at,
    ${chTime('at_s')} AS received_at,
    'bench' AS source,
    '' AS order_id,
    ${data} AS data,
    '{}' AS attrs
FROM (
    SELECT number, number % ${SKUS} AS s, ${STOCK_WAREHOUSES}[1 + intDiv(number, ${SKUS}) % 3] AS w,
        intDiv(number, ${pairs}) AS step, ${at} AS at_s
    FROM numbers(${count})
)
WHERE at_s <= {now:UInt64}`,
  });
  const onHand = `if(cityHash64(s, w, step, 'out') % 100 < 3, 0, 5 + cityHash64(s, w, step, 'on_hand') % 200)`;
  return [
    event(
      'stock.snapshot',
      'ss',
      pairs * days,
      `${startSeconds} + step * 86400 + 79200 + cityHash64(number, 'at') % 3600`,
      `concat('{"warehouse":"', w, '","sku":"', ${skuName('s')}, '","on_hand":', toString(${onHand}), ',"reserved":', toString(cityHash64(s, w, step, 'reserved') % 5), '}')`,
    ),
    event(
      'stock.received',
      'sr',
      pairs * Math.ceil(days / 7),
      `${startSeconds} + step * 7 * 86400 + cityHash64(number, 'at') % (7 * 86400)`,
      `concat('{"warehouse":"', w, '","sku":"', ${skuName('s')}, '","qty":', toString(20 + cityHash64(number, 'qty') % 100), ',"unit_cost":', ${cost('s')}, '}')`,
    ),
  ];
}
