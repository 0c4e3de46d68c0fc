import { persistedSecret } from '@/lib/persisted-secret';

/**
 * The bearer key producers send: TOWER_INGEST_KEY when set, else the one kept in the data
 * directory, else a new random one written there. `generated` tells the server to print it.
 */
export async function resolveIngestKey(o: { fromEnv?: string; dataDir: string }): Promise<{ key: string; generated: boolean }> {
  if (o.fromEnv) return { key: o.fromEnv, generated: false };
  const { value, generated } = await persistedSecret(o.dataDir, 'ingest-key', 'ct_');
  return { key: value, generated };
}
