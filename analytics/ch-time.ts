import { z } from 'zod';

/** A Date as a `DateTime64(3, 'UTC')` query parameter: 'YYYY-MM-DD HH:MM:SS.mmm'. */
export function toChDateTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function addUtcDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

/** A UTC DateTime / DateTime64 as ClickHouse prints it ('YYYY-MM-DD HH:MM:SS[.fff]') as an ISO string. */
export function fromChDateTime(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}

/** A UTC DateTime / DateTime64 as ClickHouse prints it in JSON, turned into an ISO string. */
export const chDateTimeIso = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/, 'expected a ClickHouse UTC date-time')
  .transform(fromChDateTime);
