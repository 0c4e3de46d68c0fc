/**
 * Runs before `npm start`: builds the web app when there is no build yet, or when a source file the
 * build depends on is newer than it, so a fresh clone or a pull starts with one command.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const buildId = path.join(root, '.next', 'BUILD_ID');
const sources = ['app', 'components', 'lib', 'analytics', 'next.config.js', 'package-lock.json'];

function newestMtime(target: string): number {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

const built = statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (built < changed) {
  console.log(built ? '[build] sources changed since the last build: rebuilding…' : '[build] first start: building the web app…');
  const result = spawnSync('npx', ['next', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
