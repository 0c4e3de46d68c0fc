import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveIngestKey } from '@/ingest/ingest-key';

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'ingest-key-'));

describe('ingest key', () => {
  it('uses TOWER_INGEST_KEY when set and writes nothing', async () => {
    const dataDir = await tempDir();
    expect(await resolveIngestKey({ fromEnv: 'from-the-environment-123', dataDir })).toEqual({
      key: 'from-the-environment-123',
      generated: false,
    });
    await expect(stat(path.join(dataDir, 'ingest-key'))).rejects.toThrow();
  });

  it('generates a long random key once, keeps it private, and reuses it', async () => {
    const dataDir = await tempDir();
    const first = await resolveIngestKey({ dataDir });
    expect(first.generated).toBe(true);
    expect(first.key.length).toBeGreaterThanOrEqual(32);
    expect((await stat(path.join(dataDir, 'ingest-key'))).mode & 0o777).toBe(0o600);
    expect(await resolveIngestKey({ dataDir })).toEqual({ key: first.key, generated: false });
    expect(await resolveIngestKey({ dataDir: await tempDir() })).not.toEqual(first);
  });

  it('reads a key an operator put in the data directory', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, 'ingest-key'), 'operator-chosen-key-0123456789\n');
    expect(await resolveIngestKey({ dataDir })).toEqual({ key: 'operator-chosen-key-0123456789', generated: false });
    expect(await readFile(path.join(dataDir, 'ingest-key'), 'utf8')).toBe('operator-chosen-key-0123456789\n');
  });
});
