import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '@/analytics/sql-statements';

describe('splitSqlStatements', () => {
  it('splits on a semicolon at the end of a line and drops comment-only chunks', () => {
    const sql = [
      '-- a table',
      'CREATE TABLE a (x UInt8)',
      'ENGINE = MergeTree ORDER BY x;',
      '',
      'CREATE VIEW v AS SELECT x FROM a WHERE x != 0;  ',
      '-- trailing note, not a statement',
      '',
    ].join('\n');
    expect(splitSqlStatements(sql)).toEqual([
      '-- a table\nCREATE TABLE a (x UInt8)\nENGINE = MergeTree ORDER BY x',
      'CREATE VIEW v AS SELECT x FROM a WHERE x != 0',
    ]);
  });

  it('keeps a semicolon that does not end a line inside its statement', () => {
    expect(splitSqlStatements("SELECT ';' AS s, 1;\nSELECT 2;")).toEqual(["SELECT ';' AS s, 1", 'SELECT 2']);
  });

  it('finds no statement in comments or blank text', () => {
    expect(splitSqlStatements('-- nothing\n\n   \n')).toEqual([]);
  });

  it('splits every shipped migration into statements that each start with a statement keyword', async () => {
    const dir = path.resolve('analytics/migrations');
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql'))) {
      const statements = splitSqlStatements(await readFile(path.join(dir, file), 'utf8'));
      expect(statements.length, file).toBeGreaterThan(0);
      for (const s of statements) {
        const firstCode = s.split('\n').find((l) => !l.trim().startsWith('--')) ?? '';
        expect(firstCode, `${file}: ${s.slice(0, 60)}`).toMatch(/^(CREATE|INSERT|ALTER|DROP)\b/);
      }
    }
  });
});
