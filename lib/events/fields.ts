import { z } from 'zod';

/**
 * Field builders shared by every event family, so that one rule (what a quantity is, what money
 * looks like) has one definition and one error message.
 */

/** Money with at most 4 decimals and 15 significant digits: every such decimal survives a round trip through a double. */
const MONEY_TEXT = /^\d{1,11}(?:\.\d{1,4})?$/;
const MONEY_MAX = 99_999_999_999.9999;
const MONEY_MESSAGE =
  'expected an amount >= 0 with at most 4 decimals (a number or a decimal string such as "12.5000")';

/**
 * Normalised to a JSON number: analytics sums it as Float64/Decimal, and the 15-significant-digit
 * bound guarantees the number prints back as exactly the decimal the producer sent.
 */
export function money() {
  return z
    .union(
      [
        z.number().min(0, { error: MONEY_MESSAGE }).max(MONEY_MAX, { error: MONEY_MESSAGE }),
        z.string().regex(MONEY_TEXT, { error: MONEY_MESSAGE }),
      ],
      {
        error: ruleOrRequired(MONEY_MESSAGE),
      },
    )
    .transform((value, ctx) => {
      const amount = typeof value === 'number' ? value : MONEY_TEXT.test(value) ? Number(value) : Number.NaN;
      const ok = Number.isFinite(amount) && amount >= 0 && amount <= MONEY_MAX && Number(amount.toFixed(4)) === amount;
      if (!ok) {
        ctx.addIssue({ code: 'custom', message: MONEY_MESSAGE, input: value });
        return z.NEVER;
      }
      return amount;
    })
    .meta({ description: 'Money: a JSON number or a decimal string, >= 0, at most 4 decimals' });
}

const QTY_MAX = 1_000_000_000;

/** A type error's message: "required" when the field is missing, the rule otherwise. */
export function ruleOrRequired(rule: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : rule);
}

/** Units moved, ordered, picked: a positive whole number. */
export function quantity() {
  return z
    .int({ error: ruleOrRequired('expected integer >= 1') })
    .min(1, { error: 'expected integer >= 1' })
    .max(QTY_MAX, { error: `expected integer <= ${QTY_MAX}` });
}

/** A count that may be zero (stock on hand, units picked on a short pick, mis-picks). */
export function count() {
  return z
    .int({ error: ruleOrRequired('expected integer >= 0') })
    .min(0, { error: 'expected integer >= 0' })
    .max(QTY_MAX, { error: `expected integer <= ${QTY_MAX}` });
}

/** A signed change in units (stock adjustments); 0 records a count that matched. */
export function signedQuantity() {
  return z
    .int({ error: ruleOrRequired('expected an integer (negative for a loss)') })
    .min(-QTY_MAX, { error: `expected integer >= -${QTY_MAX}` })
    .max(QTY_MAX, { error: `expected integer <= ${QTY_MAX}` });
}

/** Identifiers the producer owns: order, shipment, pick, return, refund, PO, transfer, customer ids. */
export function reference() {
  return z
    .string({ error: ruleOrRequired('expected a string of 1-128 characters') })
    .min(1, { error: 'expected a string of 1-128 characters' })
    .max(128, { error: 'expected a string of 1-128 characters' });
}

/** Short operational names: channel, warehouse, carrier, reason codes, methods. */
export function label() {
  return z
    .string({ error: ruleOrRequired('expected a string of 1-64 characters') })
    .min(1, { error: 'expected a string of 1-64 characters' })
    .max(64, { error: 'expected a string of 1-64 characters' });
}

/** Free text a person wrote (a hold note, a failure reason). */
export function note() {
  return z
    .string({ error: ruleOrRequired('expected a string of at most 1000 characters') })
    .max(1000, { error: 'expected a string of at most 1000 characters' });
}

export function sku() {
  return z
    .string({ error: ruleOrRequired('expected a SKU of 1-64 characters') })
    .min(1, { error: 'expected a SKU of 1-64 characters' })
    .max(64, { error: 'expected a SKU of 1-64 characters' });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: ruleOrRequired(`expected one of: ${values.join(', ')}`) });
}

/** Line arrays hold at least one line; the cap keeps one event well under the 1 MB request limit. */
export function lines<T extends z.ZodType>(line: T) {
  return z
    .array(line, { error: ruleOrRequired('expected an array of lines') })
    .min(1, { error: 'expected at least 1 line' })
    .max(1000, { error: 'expected at most 1000 lines' });
}

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 code in upper case; absent means USD. */
export function currency() {
  return z
    .string({ error: ruleOrRequired('expected an ISO 4217 currency code such as "USD"') })
    .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code such as "USD" (upper case)' })
    .refine((code) => CURRENCIES.has(code), { error: 'expected an ISO 4217 currency code such as "USD" (upper case)' })
    .default('USD');
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const INSTANT_MESSAGE = 'expected an ISO 8601 date-time with an offset or Z, e.g. 2025-03-01T14:05:00Z';

/**
 * Epoch milliseconds of an ISO 8601 instant with an offset or Z, or null. Parsed by hand: faster
 * than Date parsing, rejects impossible dates (Feb 30), and takes the offset forms ISO allows
 * (+02:00, +0200, +02). Years before 2000 or from 2100 on are treated as producer bugs.
 */
export function parseInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const day = Date.UTC(y, mo - 1, d);
  if (new Date(day).getUTCDate() !== d) return null;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const epoch = day + ((h * 60 + mi - offsetMinutes) * 60 + s) * 1000 + ms;
  return epoch >= EARLIEST && epoch < LATEST ? epoch : null;
}

/** A business timestamp, normalised to UTC `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function instant() {
  return z
    .string({ error: ruleOrRequired(INSTANT_MESSAGE) })
    .transform((text, ctx) => {
      const epoch = parseInstant(text);
      if (epoch === null) {
        ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE, input: text });
        return z.NEVER;
      }
      return new Date(epoch).toISOString();
    })
    .meta({ format: 'date-time', description: 'ISO 8601 with an offset or Z; stored in UTC' });
}
