import { Random } from './random';

/** The simulated retailer's master data, derived entirely from a seed so it never needs storing to be rebuilt. */
export const CHANNELS = ['web', 'amazon', 'zalando', 'b2b'] as const;
export type Channel = (typeof CHANNELS)[number];

export const WAREHOUSES = ['WH-EAST', 'WH-WEST', 'WH-CENTRAL'] as const;
export type Warehouse = (typeof WAREHOUSES)[number];

export const CARRIERS = ['ups', 'dhl', 'fedex', 'usps'] as const;
export type Carrier = (typeof CARRIERS)[number];

export const SEGMENTS = ['new', 'returning', 'vip', 'business'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const CATEGORIES = ['apparel', 'footwear', 'home', 'electronics', 'beauty', 'sports'] as const;
export type Category = (typeof CATEGORIES)[number];

export type ValueClass = 'A' | 'B' | 'C';

export interface Region {
  name: string;
  /** Share of consumer demand. */
  weight: number;
  /** The warehouse that serves it first. */
  warehouse: Warehouse;
}

export const REGIONS: readonly Region[] = [
  { name: 'northeast', weight: 0.22, warehouse: 'WH-EAST' },
  { name: 'southeast', weight: 0.18, warehouse: 'WH-EAST' },
  { name: 'midwest', weight: 0.2, warehouse: 'WH-CENTRAL' },
  { name: 'south', weight: 0.14, warehouse: 'WH-CENTRAL' },
  { name: 'west', weight: 0.18, warehouse: 'WH-WEST' },
  { name: 'northwest', weight: 0.08, warehouse: 'WH-WEST' },
];

export interface Supplier {
  id: string;
  category: Category;
  leadTimeDays: number;
  /** Probability that a purchase order arrives after its expected date. */
  lateProbability: number;
}

export interface Sku {
  sku: string;
  name: string;
  category: Category;
  family: string;
  price: number;
  cost: number;
  supplier: string;
  valueClass: ValueClass;
  /** Share of order lines that pick this SKU (sums to 1 over the catalogue). */
  demandShare: number;
  /** Base probability that a shipped unit comes back. */
  returnRate: number;
}

export interface Catalogue {
  skus: readonly Sku[];
  suppliers: readonly Supplier[];
  bySku: ReadonlyMap<string, Sku>;
  supplierById: ReadonlyMap<string, Supplier>;
  /** Cumulative demand shares, for picking a SKU in O(log n). */
  cumulativeDemand: readonly number[];
}

interface CategorySpec {
  code: string;
  count: number;
  families: readonly string[];
  nouns: readonly string[];
  price: readonly [number, number];
  returnRate: number;
}

const CATEGORY_SPECS: Record<Category, CategorySpec> = {
  apparel: { code: 'APP', count: 90, families: ['tops', 'bottoms', 'outerwear', 'dresses'], nouns: ['Tee', 'Shirt', 'Chino', 'Jacket', 'Dress', 'Hoodie', 'Jeans'], price: [15, 120], returnRate: 0.2 },
  footwear: { code: 'FTW', count: 50, families: ['sneakers', 'boots', 'sandals'], nouns: ['Runner', 'Boot', 'Sandal', 'Loafer', 'Trainer'], price: [40, 180], returnRate: 0.18 },
  home: { code: 'HOM', count: 50, families: ['kitchen', 'bedding', 'decor'], nouns: ['Pan', 'Duvet', 'Lamp', 'Vase', 'Knife Set', 'Throw'], price: [10, 150], returnRate: 0.06 },
  electronics: { code: 'ELE', count: 40, families: ['audio', 'accessories', 'smart-home'], nouns: ['Earbuds', 'Speaker', 'Charger', 'Cable', 'Hub', 'Camera'], price: [15, 400], returnRate: 0.08 },
  beauty: { code: 'BEA', count: 40, families: ['skincare', 'fragrance', 'haircare'], nouns: ['Serum', 'Cream', 'Eau de Parfum', 'Shampoo', 'Mask'], price: [8, 90], returnRate: 0.04 },
  sports: { code: 'SPT', count: 30, families: ['fitness', 'outdoor'], nouns: ['Mat', 'Dumbbell', 'Tent', 'Backpack', 'Bottle'], price: [12, 200], returnRate: 0.09 },
};

const ADJECTIVES = ['Classic', 'Urban', 'Nordic', 'Essential', 'Coastal', 'Alpine', 'Everyday', 'Studio', 'Heritage', 'Vivid'];

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function buildCatalogue(seed: number): Catalogue {
  const rng = new Random(seed ^ 0x5eed_ca7a);
  const suppliers: Supplier[] = [];
  for (const category of CATEGORIES) {
    const code = CATEGORY_SPECS[category].code;
    for (let i = 1; i <= 3; i++) {
      // One supplier per category is chronically late, so supplier OTIF has something to show.
      const late = i === 3 ? rng.between(0.3, 0.45) : rng.between(0.04, 0.12);
      suppliers.push({ id: `SUP-${code}-${i}`, category, leadTimeDays: rng.int(3, 10), lateProbability: round2(late) });
    }
  }

  const draft: Omit<Sku, 'valueClass' | 'demandShare'>[] = [];
  for (const category of CATEGORIES) {
    const spec = CATEGORY_SPECS[category];
    const categorySuppliers = suppliers.filter((s) => s.category === category);
    for (let i = 1; i <= spec.count; i++) {
      const family = spec.families[(i - 1) % spec.families.length];
      const [lo, hi] = spec.price;
      // Log-uniform prices: many cheap items, a few expensive ones.
      const price = Math.floor(Math.exp(rng.between(Math.log(lo), Math.log(hi)))) + 0.99;
      const cost = round2(price * rng.between(0.35, 0.6));
      draft.push({
        sku: `${spec.code}-${family.slice(0, 3).toUpperCase()}-${String(i).padStart(4, '0')}`,
        name: `${rng.pick(ADJECTIVES)} ${rng.pick(spec.nouns)} ${i}`,
        category,
        family,
        price,
        cost,
        supplier: rng.pick(categorySuppliers).id,
        returnRate: round2(spec.returnRate * rng.between(0.6, 1.5)),
      });
    }
  }

  // Zipf-like popularity over a shuffled rank, so best sellers are spread across categories.
  const ranks = draft.map((_, i) => i);
  for (let i = ranks.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  const weights = draft.map((_, i) => 1 / Math.pow(ranks[i] + 1, 0.9));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / totalWeight);

  // ABC by sales value: A is the top 80 % of value, B the next 15 %, C the tail.
  const byValue = draft.map((d, i) => ({ i, value: shares[i] * d.price })).sort((a, b) => b.value - a.value);
  const totalValue = byValue.reduce((a, b) => a + b.value, 0);
  const classes: ValueClass[] = new Array<ValueClass>(draft.length);
  let cumulative = 0;
  for (const { i, value } of byValue) {
    classes[i] = cumulative < 0.8 * totalValue ? 'A' : cumulative < 0.95 * totalValue ? 'B' : 'C';
    cumulative += value;
  }

  const skus: Sku[] = draft.map((d, i) => ({ ...d, valueClass: classes[i], demandShare: shares[i] }));
  const cumulativeDemand: number[] = [];
  let running = 0;
  for (const s of skus) {
    running += s.demandShare;
    cumulativeDemand.push(running);
  }
  return {
    skus,
    suppliers,
    bySku: new Map(skus.map((s) => [s.sku, s])),
    supplierById: new Map(suppliers.map((s) => [s.id, s])),
    cumulativeDemand,
  };
}

/** Draws a SKU in proportion to its demand share. */
export function drawSku(catalogue: Catalogue, rng: Random): Sku {
  const r = rng.next() * catalogue.cumulativeDemand[catalogue.cumulativeDemand.length - 1];
  let lo = 0;
  let hi = catalogue.cumulativeDemand.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (catalogue.cumulativeDemand[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return catalogue.skus[lo];
}

export function regionByName(name: string): Region {
  return REGIONS.find((r) => r.name === name) ?? REGIONS[0];
}

/** Share of consumer demand a warehouse serves first. */
export function warehouseShare(warehouse: Warehouse): number {
  return REGIONS.filter((r) => r.warehouse === warehouse).reduce((a, r) => a + r.weight, 0);
}
