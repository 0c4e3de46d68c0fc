import { describeIssue, formatIssues } from './describe-issue';
import { ENVELOPE_FIELDS } from './envelope';
import { EVENT_TYPES, eventSchemaByType, type OpsEvent } from './catalogue';

export type EventValidation =
  | { ok: true; event: OpsEvent; attrs: Record<string, unknown> | null }
  | { ok: false; id: string | null; type: string | null; error: string };

const ENVELOPE_KEYS: ReadonlySet<string> = new Set(ENVELOPE_FIELDS);
const knownDataKeys = new Map<string, ReadonlySet<string>>();
for (const [type, schema] of eventSchemaByType) knownDataKeys.set(type, new Set(Object.keys(schema.shape.data.shape)));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fields the contract does not know, kept rather than rejected: extra `data` fields as they are,
 * extra envelope fields under `_envelope`. Null when there are none (the common case).
 */
function collectAttrs(input: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | null {
  let attrs: Record<string, unknown> | null = null;
  const data = input.data;
  if (isRecord(data)) {
    for (const key in data) {
      if (!known.has(key)) (attrs ??= {})[key] = data[key];
    }
  }
  let envelope: Record<string, unknown> | null = null;
  for (const key in input) {
    if (!ENVELOPE_KEYS.has(key)) (envelope ??= {})[key] = input[key];
  }
  if (envelope) (attrs ??= {})._envelope = envelope;
  return attrs;
}

const typeList = EVENT_TYPES.join(', ');

/** Checks one event against contract v1; the error names the field path and what would be accepted. */
export function validateEvent(input: unknown): EventValidation {
  if (!isRecord(input)) {
    return {
      ok: false,
      id: null,
      type: null,
      error: 'expected an event object with id, type, occurred_at, source and data',
    };
  }
  const id = typeof input.id === 'string' ? input.id : null;
  const type = typeof input.type === 'string' ? input.type : null;
  const schema = type === null ? undefined : eventSchemaByType.get(type);
  if (!schema) {
    const error =
      input.type === undefined
        ? 'type: required'
        : `type: unknown event type ${JSON.stringify(input.type)}; expected one of ${typeList}`;
    return { ok: false, id, type, error };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    // Worded only on failure: passing an error map on every parse halves zod's speed.
    const worded = schema.safeParse(input, { error: describeIssue });
    return { ok: false, id, type, error: formatIssues(worded.success ? parsed.error.issues : worded.error.issues) };
  }
  return {
    ok: true,
    event: parsed.data,
    attrs: collectAttrs(input, knownDataKeys.get(schema.shape.type.value) ?? new Set()),
  };
}
