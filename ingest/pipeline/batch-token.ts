import { createHash } from 'node:crypto';

/**
 * The insert's deduplication token: a hash of what the batch holds. A retried insert of the same
 * batch (after a timeout that in fact succeeded, or a failure half-way through its parts) is then
 * stored once by the engine itself.
 */
export function batchToken(kind: string, keys: readonly string[]): string {
  return `${kind}:${keys.length}:${createHash('sha256').update(keys.join('\n')).digest('hex')}`;
}
