/**
 * Growing waits between attempts at something that keeps failing (a delivery into ingest): the
 * first wait, doubled after each further failure, capped; a success starts again from the first.
 */
export class Backoff {
  private failures = 0;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {}

  /** The wait owed after one more failure. */
  next(): number {
    const ms = Math.min(this.maxMs, this.firstMs * 2 ** this.failures);
    this.failures++;
    return ms;
  }

  reset(): void {
    this.failures = 0;
  }

  /** Waits out `next()`; `interrupt` ends every wait early (a shutdown must not sit out a minute). */
  wait(): Promise<void> {
    const ms = this.next();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  interrupt(): void {
    for (const done of [...this.sleepers]) done();
  }
}
