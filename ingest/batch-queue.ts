import type { DeadLetterRow, EventRow } from './pipeline/event-row';

/** One submission's share of a batch: the store lookup adds the duplicates it finds. */
export interface Ticket {
  duplicates: number;
}

export interface Batch {
  readonly rows: EventRow[];
  /** The ticket of each row, index for index. */
  readonly owners: Ticket[];
  readonly deadLetters: DeadLetterRow[];
  /** Settles once the batch is durably stored (or has failed for good). */
  readonly done: Promise<void>;
}

interface OpenBatch extends Batch {
  stored(): void;
  failed(error: unknown): void;
}

function openBatch(): OpenBatch {
  let stored: () => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stored = resolve;
    failed = reject;
  });
  // Submitters await `done` themselves; this keeps a batch nobody waits for from crashing the process.
  done.catch(() => undefined);
  return { rows: [], owners: [], deadLetters: [], done, stored, failed };
}

/**
 * Collects rows into batches, sealing one at `maxBatchRows` or `maxBatchDelayMs` after its first
 * row, and writes sealed batches one at a time, in order (langfuse's ClickhouseWriter habit).
 */
export class BatchQueue {
  private current: OpenBatch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly sealed: OpenBatch[] = [];
  private writing: OpenBatch | null = null;
  private readonly queuedIds = new Map<string, Batch>();
  private rowsHeld = 0;

  constructor(
    private readonly o: { maxBatchRows: number; maxBatchDelayMs: number; write: (batch: Batch) => Promise<void> },
  ) {}

  get queuedRows(): number {
    return this.rowsHeld;
  }

  /** The not-yet-written batch that holds this id, if any. */
  batchHolding(id: string): Batch | undefined {
    return this.queuedIds.get(id);
  }

  /** Queues rows (split across batches at maxBatchRows) and returns every batch they landed in. */
  add(rows: readonly EventRow[], ticket: Ticket, deadLetters: readonly DeadLetterRow[]): Batch[] {
    const touched: Batch[] = [];
    let batch = this.collecting();
    touched.push(batch);
    for (const row of rows) {
      if (batch.rows.length + batch.deadLetters.length >= this.o.maxBatchRows) {
        this.seal();
        batch = this.collecting();
        touched.push(batch);
      }
      batch.rows.push(row);
      batch.owners.push(ticket);
      this.queuedIds.set(row.id, batch);
    }
    for (const letter of deadLetters) batch.deadLetters.push(letter);
    this.rowsHeld += rows.length + deadLetters.length;
    if (batch.rows.length + batch.deadLetters.length >= this.o.maxBatchRows) this.seal();
    return touched;
  }

  private collecting(): OpenBatch {
    if (!this.current) {
      this.current = openBatch();
      this.timer = setTimeout(() => this.seal(), this.o.maxBatchDelayMs);
    }
    return this.current;
  }

  /** Seals what is collecting and resolves once everything queued so far has been written. */
  async flush(): Promise<void> {
    this.seal();
    const pending = [...this.sealed, ...(this.writing ? [this.writing] : [])];
    await Promise.allSettled(pending.map((batch) => batch.done));
  }

  private seal(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.current) return;
    this.sealed.push(this.current);
    this.current = null;
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    let next = this.sealed.shift();
    while (next) {
      this.writing = next;
      try {
        await this.o.write(next);
        next.stored();
      } catch (err) {
        next.failed(err);
      } finally {
        for (const row of next.rows) {
          if (this.queuedIds.get(row.id) === next) this.queuedIds.delete(row.id);
        }
        this.rowsHeld -= next.rows.length + next.deadLetters.length;
        this.writing = null;
      }
      next = this.sealed.shift();
    }
  }
}
