import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A secret kept in the data directory: read if present, otherwise generated once (mode 0600).
 * Lets the embedded mode start with no configuration and keep keys and sessions across restarts.
 */
export async function persistedSecret(dataDir: string, name: string): Promise<{ value: string; generated: boolean }> {
  const file = path.join(dataDir, name);
  try {
    const value = (await readFile(file, 'utf8')).trim();
    if (value) return { value, generated: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const value = randomBytes(32).toString('base64url');
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, generated: true };
}
