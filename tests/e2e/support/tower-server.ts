import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningTower {
  baseUrl: string;
  ingestKey: string;
  dataDir: string;
  /** The server's process group (npx, tsx and the server process itself). */
  pid: number;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** The environment minus anything that would point the product at shared servers. */
function isolatedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['CLICKHOUSE_URL', 'DATABASE_URL', 'REDIS_URL', 'TOWER_REDIS_PREFIX', 'BETTER_AUTH_URL', 'BETTER_AUTH_SECRET', 'TOWER_ROLE', 'TOWER_CORE_URL', 'TOWER_INTERNAL_SECRET', 'NODE_ENV']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** The server's last words without stack frames, which test reporters would try (and fail) to source-map. */
function withoutStackFrames(log: string): string {
  const lines = log.split('\n').filter((line) => !/^\s+at\s/.test(line) && !/^\S+\.[cm]?[jt]sx?:\d+$/.test(line.trim()));
  return lines.slice(-20).join('\n');
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts the real product (`tsx server.ts`, embedded mode) on a free port with a fresh data
 * directory, and resolves once /api/health answers 200. Needs a `next build` to exist.
 */
export async function startTower(
  o: {
    env?: Record<string, string>;
    readyTimeoutMs?: number;
    /** Start again on the port of a stopped server, so open browsers reconnect to it. */
    port?: number;
    /** A data directory the caller owns (kept on stop): a restart finds its data and sessions. */
    dataDir?: string;
    ingestKey?: string;
    /** Ready when the output matches this, for a process without the web (`TOWER_ROLE=ingest`). */
    readyWhen?: RegExp;
  } = {},
): Promise<RunningTower> {
  const port = o.port ?? (await freePort());
  const ownsDataDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tower-e2e-')));
  const ingestKey = o.ingestKey ?? `e2e-ingest-key-${Math.random().toString(36).slice(2)}-0123456789abcdef`;
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = '';

  const child = spawn('npx', ['tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'server.ts'], {
    cwd: repoRoot,
    // Own process group, so stop() ends npx, tsx and the server together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: isolatedEnv({
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      TOWER_DATA_DIR: dataDir,
      SANDBOX_RATE: '0',
      TOWER_INGEST_KEY: ingestKey,
      BETTER_AUTH_URL: baseUrl,
      TZ: 'UTC',
      ...o.env,
    }),
  });
  // A test worker that dies (a timeout, Ctrl-C) must not leave the server running: it is detached.
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const done = exited(child);
    const signal = (name: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const killTimer = setTimeout(() => signal('SIGKILL'), 10_000);
    await done;
    // npx exits first; the server in its group may still be flushing. Wait for the whole group,
    // so a restart on the same port and data directory finds both free.
    while (child.pid && groupAlive(child.pid)) await new Promise((r) => setTimeout(r, 100));
    clearTimeout(killTimer);
    process.off('exit', killGroup);
    // The server process may still be closing its files a moment after npx exits.
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 120_000);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(o.readyWhen ? `no ${o.readyWhen} in the output in time` : 'GET /api/health did not answer 200 in time');
      const ok = o.readyWhen
        ? o.readyWhen.test(log)
        : await fetch(`${baseUrl}/api/health`)
            .then((r) => r.ok)
            .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stop();
    const logFile = path.join(os.tmpdir(), `tower-e2e-${port}.log`);
    await writeFile(logFile, log);
    throw new Error(
      `Control Tower did not start: ${err instanceof Error ? err.message : String(err)}. Full output in ${logFile}; last lines:\n${withoutStackFrames(log)}`,
    );
  }

  return { baseUrl, ingestKey, dataDir, pid: child.pid ?? 0, output: () => log, stop };
}
