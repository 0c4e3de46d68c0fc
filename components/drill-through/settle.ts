/**
 * A secondary source (the core, the exception store) must not take the whole page down: its
 * failure becomes a sentence shown in its own section, and the page renders the rest.
 */
export async function settle<T>(work: Promise<T>, failure: string): Promise<{ value: T | null; error: string | null }> {
  try {
    return { value: await work, error: null };
  } catch (err) {
    console.error(`[drill-through] ${failure}:`, err instanceof Error ? err.message : err);
    return { value: null, error: `${failure}. Reload to try again; the rest of the page is unaffected.` };
  }
}

/** A route segment as the id it names; a malformed escape is taken literally. */
export function entityIdFrom(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
