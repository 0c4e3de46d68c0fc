/**
 * `npm test`: lints and type-checks, builds the web app (the end-to-end tests run the real server), then runs every
 * test project. `--fail-on-skip` makes a skipped test fail the run (CI passes it).
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const failOnSkip = args.includes('--fail-on-skip');
const vitestArgs = args.filter((a) => a !== '--fail-on-skip');

const env = { ...process.env, TZ: 'UTC', ...(failOnSkip ? { TOWER_FAIL_ON_SKIP: '1' } : {}) };
const run = (cmd: string, cmdArgs: string[]) => spawnSync(cmd, cmdArgs, { stdio: 'inherit', env }).status ?? 1;

for (const [cmd, ...cmdArgs] of [
  ['npx', 'eslint', '.', '--max-warnings', '0'],
  ['npx', 'tsc', '--noEmit', '-p', '.'],
  ['npx', 'next', 'build'],
]) {
  const status = run(cmd, cmdArgs);
  if (status !== 0) process.exit(status);
}
process.exit(run('npx', ['vitest', 'run', ...vitestArgs]));
