import { z } from 'zod';

/** A row of the `events` table as stored, every column: to read events back and insert them again. */
export const storedEventRow = z.object({
  id: z.string(),
  type: z.string(),
  occurred_at: z.string(),
  received_at: z.string(),
  source: z.string(),
  order_id: z.string(),
  data: z.string(),
  attrs: z.string(),
});
