import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const KEY_FILE = 'ingest-key';

/**
 * The bearer key producers send: TOWER_INGEST_KEY when set, else the one kept in the data
 * directory, else a new random one written there (mode 0600). `generated` tells the server to
 * print it, since nobody has seen it yet.
 */
export async function resolveIngestKey(o: {
  fromEnv?: string;
  dataDir: string;
}): Promise<{ key: string; generated: boolean }> {
  if (o.fromEnv) return { key: o.fromEnv, generated: false };
  const file = path.join(o.dataDir, KEY_FILE);
  let emptyFile = false;
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept) return { key: kept, generated: false };
    emptyFile = true;
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err;
  }
  await mkdir(o.dataDir, { recursive: true });
  const key = `ct_${randomBytes(32).toString('base64url')}`;
  try {
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: emptyFile ? 'w' : 'wx' });
  } catch (err) {
    // Another process wrote one first: use theirs, so there is only ever one key.
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') {
      return { key: (await readFile(file, 'utf8')).trim(), generated: false };
    }
    throw err;
  }
  return { key, generated: true };
}
