import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics, type QueryPriority } from '@/analytics/clickhouse';

let a: Analytics;

beforeAll(async () => {
  a = await openAnalytics({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'tower-analytics-priority-')), maxMemoryBytes: 700 * 1024 * 1024 });
});

afterAll(async () => {
  await a?.close();
});

describe('statement order on the embedded engine', () => {
  it('runs an urgent query before routine ones queued earlier, never in the middle of one', async () => {
    const finished: string[] = [];
    const run = (label: string, priority: QueryPriority, seconds: number) =>
      a
        .query({ name: `test.${label}`, sql: 'SELECT sleep({s:Float64}) AS x, {label:String} AS label', params: { s: seconds, label }, schema: z.object({ label: z.string() }), priority })
        .then(([row]) => finished.push(row?.label ?? '?'));
    const started = [run('routine-1', 'routine', 0.3), run('routine-2', 'routine', 0.1), run('routine-3', 'routine', 0.1)];
    // Queued while routine-1 runs and the other two wait.
    await new Promise((r) => setTimeout(r, 50));
    const urgent = run('urgent', 'urgent', 0);
    await Promise.all([...started, urgent]);
    expect(finished).toEqual(['routine-1', 'urgent', 'routine-2', 'routine-3']);
  });

  it('runs lanes in order, urgent, write, live, routine, background, each in the order it came', async () => {
    const finished: string[] = [];
    const run = (label: string, priority: QueryPriority, seconds = 0) =>
      a
        .query({ name: `test.${label}`, sql: 'SELECT sleep({s:Float64}) AS x, {label:String} AS label', params: { s: seconds, label }, schema: z.object({ label: z.string() }), priority })
        .then(([row]) => finished.push(row?.label ?? '?'));
    const running = run('running', 'routine', 0.2);
    await new Promise((r) => setTimeout(r, 50));
    const queued = [
      run('background', 'background'),
      run('routine-1', 'routine'),
      run('live-1', 'live'),
      run('write', 'write'),
      run('routine-2', 'routine'),
      run('urgent', 'urgent'),
      run('live-2', 'live'),
    ];
    await Promise.all([running, ...queued]);
    expect(finished).toEqual(['running', 'urgent', 'write', 'live-1', 'live-2', 'routine-1', 'routine-2', 'background']);
  });

  it('lets live work that has waited 300 ms and background work that has waited a second go before the lanes above them, so a busy writer cannot hold them back for good', async () => {
    const finished: string[] = [];
    const run = (label: string, priority: QueryPriority, seconds = 0) =>
      a
        .query({ name: `test.${label}`, sql: 'SELECT sleep({s:Float64}) AS x, {label:String} AS label', params: { s: seconds, label }, schema: z.object({ label: z.string() }), priority })
        .then(([row]) => finished.push(row?.label ?? '?'));
    const running = run('running', 'routine', 1.3);
    await new Promise((r) => setTimeout(r, 50));
    const queued = [run('background', 'background'), run('routine-1', 'routine'), run('live', 'live')];
    await new Promise((r) => setTimeout(r, 1_000));
    const late = [run('write', 'write'), run('urgent', 'urgent')];
    await Promise.all([running, ...queued, ...late]);
    expect(finished).toEqual(['running', 'urgent', 'live', 'background', 'write', 'routine-1']);
  });

  it('runs a turn\'s statements back to back: nothing queued meanwhile, live work included, runs between them', async () => {
    const finished: string[] = [];
    const run = (on: Analytics, label: string, priority: QueryPriority, seconds = 0) =>
      on
        .query({ name: `test.${label}`, sql: 'SELECT sleep({s:Float64}) AS x, {label:String} AS label', params: { s: seconds, label }, schema: z.object({ label: z.string() }), priority })
        .then(([row]) => finished.push(row?.label ?? '?'));
    const running = run(a, 'running', 'routine', 0.2);
    const turn = a.inOneTurn(async (t) => {
      await run(t, 'turn-1', 'routine', 0.2);
      await run(t, 'turn-2', 'routine');
      return 'done';
    });
    await new Promise((r) => setTimeout(r, 300)); // into turn-1
    const live = run(a, 'live', 'live');
    expect(await turn).toBe('done');
    await Promise.all([running, live]);
    expect(finished).toEqual(['running', 'turn-1', 'turn-2', 'live']);
  });

  it('keeps routine queries in the order they came, and one failure does not stop the queue', async () => {
    const finished: string[] = [];
    const ok = (label: string) => a.query({ name: `test.${label}`, sql: 'SELECT {label:String} AS label', params: { label }, schema: z.object({ label: z.string() }) }).then(() => finished.push(label), (e: unknown) => finished.push(`${label}: ${String(e)}`));
    const first = ok('first');
    const bad = a.query({ name: 'test.bad', sql: 'SELECT no_such_column', schema: z.object({}) }).catch(() => finished.push('failed'));
    await Promise.all([first, bad, ok('last')]);
    expect(finished).toEqual(['first', 'failed', 'last']);
  });
});
