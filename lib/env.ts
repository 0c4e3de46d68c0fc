import { z } from 'zod';

/** Every setting the product reads, validated once. Nothing else reads process.env. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default('0.0.0.0'),
  /** Where the embedded stores keep their files (chDB, PGlite, the generated ingest key). */
  TOWER_DATA_DIR: z.string().default('./.data'),
  /** Sandbox orders per minute; 0 switches the sandbox off entirely (no stream, no backfill). */
  SANDBOX_RATE: z.coerce.number().min(0).default(12),
  /** Days of history the sandbox backfills on a first start with an empty store. */
  SANDBOX_BACKFILL_DAYS: z.coerce.number().int().min(0).default(3),
  /** A ClickHouse server (http://user:pass@host:8123/db); unset means chDB in-process. */
  CLICKHOUSE_URL: z.string().url().optional(),
  /** PostgreSQL for users, sessions and sandbox state; unset means PGlite under TOWER_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** Redis for the live bus and socket.io adapter; unset means in-process. */
  REDIS_URL: z.string().optional(),
  /** What this deployment's Redis channels and streams start with: deployments sharing a Redis hear only their own (pub/sub ignores the database number). */
  TOWER_REDIS_PREFIX: z.string().regex(/^[\w.-]+$/).default('tower'),
  /** The bearer key producers send to POST /api/v1/events. Generated and kept on first start if unset. */
  TOWER_INGEST_KEY: z.string().min(16).optional(),
  /** Engine memory cap, bytes or with a unit (1500M, 2G). */
  TOWER_MAX_MEMORY: z.string().default('1G'),
  /** Log every analytics statement that runs at least this many ms (unset: none). */
  TOWER_SLOW_QUERY_MS: z.coerce.number().int().min(1).optional(),
  /** Better Auth's signing secret. Generated and kept on first start if unset. */
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  /** The public URL browsers use; defaults to http://localhost:PORT. */
  BETTER_AUTH_URL: z.string().url().optional(),
  /** Create one demo user per role at first start (embedded mode default). */
  TOWER_DEMO_USERS: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true')),
  /** What picking and packing one unit costs, in the orders' currency: fulfilment cost per order adds it per unit shipped. */
  TOWER_PICK_PACK_COST_PER_UNIT: z.coerce.number().min(0).max(1_000_000).default(0.85),
  /** Which roles this process plays: all (embedded), web, or ingest. */
  TOWER_ROLE: z.enum(['all', 'web', 'ingest']).default('all'),
  /** Split mode: the ingest process that runs the core, where web processes send actions (http://ingest:3000). */
  TOWER_CORE_URL: z.string().url().optional(),
  /** Split mode: the secret web processes send with each forwarded core call; the same on both roles. */
  TOWER_INTERNAL_SECRET: z.string().min(32).optional(),
}).refine((e) => !e.TOWER_CORE_URL || e.TOWER_INTERNAL_SECRET, {
  path: ['TOWER_INTERNAL_SECRET'],
  message: 'TOWER_CORE_URL needs TOWER_INTERNAL_SECRET, the secret the ingest process checks on forwarded actions',
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** Parses "1G", "1500M", "512MiB" or plain bytes into bytes. */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new Error(`Not a size: "${text}" (use bytes or a unit such as 1500M or 2G)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * unit);
}
