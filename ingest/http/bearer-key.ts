import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether the Authorization header carries the ingest key. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of what was sent.
 */
export function hasIngestKey(authorization: string | undefined, key: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  const sent = m ? m[1] : '';
  const match = timingSafeEqual(digest(sent), digest(key));
  return m !== null && match;
}
