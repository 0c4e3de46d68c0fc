import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const isErrno = (err: unknown, code: string) => err instanceof Error && 'code' in err && err.code === code;

/**
 * A secret kept in the data directory: read if present, otherwise generated once (mode 0600).
 * Lets the embedded mode start with no configuration and keep keys and sessions across restarts.
 * `generated` tells the caller nobody has seen it yet.
 */
export async function persistedSecret(
  dataDir: string,
  name: string,
  prefix = '',
): Promise<{ value: string; generated: boolean }> {
  const file = path.join(dataDir, name);
  let emptyFile = false;
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept) return { value: kept, generated: false };
    emptyFile = true;
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const value = `${prefix}${randomBytes(32).toString('base64url')}`;
  try {
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: emptyFile ? 'w' : 'wx' });
  } catch (err) {
    // Another process wrote one first: use theirs, so there is only ever one.
    if (isErrno(err, 'EEXIST')) return { value: (await readFile(file, 'utf8')).trim(), generated: false };
    throw err;
  }
  return { value, generated: true };
}
