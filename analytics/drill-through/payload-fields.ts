/** Reading a stored payload without casts: every field is checked where it is read. */
export type Payload = Record<string, unknown>;

export function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function textOf(p: Payload, key: string): string {
  const v = p[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Money and quantities are stored as JSON numbers (lib/events/fields.ts); absent reads as 0. */
export function numberOf(p: Payload, key: string): number {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function linesOf(p: Payload): Payload[] {
  const v = p.lines;
  return Array.isArray(v) ? v.filter(isPayload) : [];
}

export function sumOf(lines: Payload[], key: string): number {
  return lines.reduce((s, l) => s + numberOf(l, key), 0);
}
