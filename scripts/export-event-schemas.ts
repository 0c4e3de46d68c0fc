/**
 * Writes docs/events.schema.json from the zod schemas in lib/events (contract v1), so producers in
 * any language can validate before they send. Run after changing lib/events and commit the output:
 *   npx tsx scripts/export-event-schemas.ts
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { EVENT_EXAMPLES, opsEventSchema } from '../lib/events';

const target = new URL('../docs/events.schema.json', import.meta.url);

// The input side: what a producer may send (money as a number or a decimal string, any offset).
const schema = z.toJSONSchema(opsEventSchema, { io: 'input', target: 'draft-2020-12' });
const document = {
  ...schema,
  $id: 'https://control-tower.local/schemas/events-v1.json',
  title: 'Control Tower operations event, contract v1',
  description:
    'One event as sent to POST /api/v1/events. Unknown fields inside `data` are accepted and kept (as attrs). ' +
    'Rules JSON Schema cannot express are enforced by the API: money has at most 4 decimals, timestamps are real instants from 2000 to 2099, currency is an ISO 4217 code. See docs/events.md.',
  examples: Object.values(EVENT_EXAMPLES),
};
await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
