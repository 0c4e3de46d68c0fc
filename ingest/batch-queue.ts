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
  /** It holds events a person is waiting on: it is written without waiting out the batch delay, ahead of routine reads. */
  urgent: boolean;
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
  return { rows: [], owners: [], deadLetters: [], done, stored, failed, urgent: false };
}

/**
 * Collects rows into batches, sealing one at `maxBatchRows` or `maxBatchDelayMs` after its first
 * row, and writes sealed batches in order, one write at a time (langfuse's ClickhouseWriter
 * habit). Batches sealed while a write runs go out together in the next write, up to
 * `maxWriteRows`: a write's cost is mostly per write (the dedupe lookup, the insert), so a writer
 * that falls behind catches up with fewer, larger writes instead of a growing queue.
 */
export class BatchQueue {
  private current: OpenBatch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly sealed: OpenBatch[] = [];
  private writing: OpenBatch[] = [];
  private readonly queuedIds = new Map<string, Batch>();
  private rowsHeld = 0;

  constructor(
    private readonly o: {
      maxBatchRows: number;
      maxBatchDelayMs: number;
      /** Rows one write may combine from sealed batches; maxBatchRows when unset. */
      maxWriteRows?: number;
      write: (batch: Batch) => Promise<void>;
    },
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

  /** Marks batches urgent and seals the one collecting if it is among them, so it is written now. */
  expedite(batches: Iterable<Batch>): void {
    let sealCurrent = false;
    for (const batch of batches) {
      batch.urgent = true;
      if (batch === this.current) sealCurrent = true;
    }
    if (sealCurrent) this.seal();
  }

  /** Seals what is collecting and resolves once everything queued so far has been written. */
  async flush(): Promise<void> {
    this.seal();
    const pending = [...this.sealed, ...this.writing];
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
    if (this.writing.length > 0) return;
    for (let group = this.takeSealed(); group.length > 0; group = this.takeSealed()) {
      this.writing = group;
      try {
        await this.o.write(group.length === 1 ? group[0] : combine(group));
        for (const batch of group) batch.stored();
      } catch (err) {
        for (const batch of group) batch.failed(err);
      } finally {
        for (const batch of group) {
          for (const row of batch.rows) {
            if (this.queuedIds.get(row.id) === batch) this.queuedIds.delete(row.id);
          }
          this.rowsHeld -= batch.rows.length + batch.deadLetters.length;
        }
        this.writing = [];
      }
    }
  }

  /** The oldest sealed batches, as many as fit one write. */
  private takeSealed(): OpenBatch[] {
    const limit = this.o.maxWriteRows ?? this.o.maxBatchRows;
    const group: OpenBatch[] = [];
    let rows = 0;
    while (this.sealed.length > 0) {
      const size = this.sealed[0].rows.length + this.sealed[0].deadLetters.length;
      if (group.length > 0 && rows + size > limit) break;
      const next = this.sealed.shift();
      if (!next) break;
      group.push(next);
      rows += size;
    }
    return group;
  }
}

/** Several sealed batches as one write; each keeps its own promise. */
function combine(group: readonly OpenBatch[]): Batch {
  return {
    rows: group.flatMap((b) => b.rows),
    owners: group.flatMap((b) => b.owners),
    deadLetters: group.flatMap((b) => b.deadLetters),
    done: Promise.all(group.map((b) => b.done)).then(() => undefined),
    urgent: group.some((b) => b.urgent),
  };
}
