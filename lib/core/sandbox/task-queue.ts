/**
 * A min-heap of due lifecycle steps. Ties break on insertion order so a run is reproducible.
 * Entries are never removed early: a popped entry whose entity has since moved its `next_at`
 * is simply stale and skipped by the caller.
 */
export type TaskKind = 'arrival' | 'order' | 'return' | 'refund' | 'po' | 'hourly' | 'snapshot';

export interface Task {
  at: number;
  seq: number;
  kind: TaskKind;
  id: string;
}

export class TaskQueue {
  private heap: Task[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(kind: TaskKind, id: string, at: number): void {
    const task: Task = { at, seq: this.seq++, kind, id };
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(task, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = task;
  }

  /** Removes and returns the earliest task due at or before `until`, if any. */
  popDue(until: number): Task | undefined {
    const h = this.heap;
    if (h.length === 0 || h[0].at > until) return undefined;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = l < h.length && before(h[l], last) ? l : -1;
        if (r < h.length && before(h[r], m === -1 ? last : h[m])) m = r;
        if (m === -1) break;
        h[i] = h[m];
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
