import type { z } from 'zod';

/** `data.lines[0].qty` from ['data', 'lines', 0, 'qty']: the path as a producer would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : `"${value}"`;
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}` : `the number ${value}`;
  return `a ${typeof value}`;
}

/**
 * The message for issues a schema did not word itself (missing fields, wrong JSON types): zod's
 * defaults speak of "Invalid input", which a producer author cannot act on.
 */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'required';
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  if (issue.code === 'invalid_value')
    return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(issue.input)}`;
  return undefined;
};

/** "path: message" for up to three issues; more would bury the first fix in noise. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = formatPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 3 ? `; and ${issues.length - 3} more problem(s)` : '';
  return shown.join('; ') + more;
}
