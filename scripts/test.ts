/**
 * `npm test`: builds the web app (the end-to-end tests run the real server), then runs every
 * test project. `--fail-on-skip` makes a skipped test fail the run (CI passes it).
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const failOnSkip = args.includes('--fail-on-skip');
const vitestArgs = args.filter((a) => a !== '--fail-on-skip');

const env = { ...process.env, TZ: 'UTC', ...(failOnSkip ? { TOWER_FAIL_ON_SKIP: '1' } : {}) };
const run = (cmd: string, cmdArgs: string[]) => spawnSync(cmd, cmdArgs, { stdio: 'inherit', env }).status ?? 1;

const build = run('npx', ['next', 'build']);
if (build !== 0) process.exit(build);
process.exit(run('npx', ['vitest', 'run', ...vitestArgs]));
