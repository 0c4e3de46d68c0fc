/**
 * Splits a migration file into statements. The house rule for migration files makes this safe
 * without a SQL parser: a statement ends with `;` at the end of a line, and no values (so no
 * string that could hold such a line) appear in them. Comment-only chunks are dropped.
 */
export function splitSqlStatements(text: string): string[] {
  return text
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.split(/\r?\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}
