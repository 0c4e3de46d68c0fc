/**
 * The ids stored most recently: between capacity/2 and capacity of them, in two generations that
 * rotate. Catches the common retry (a producer resending what it just sent) without asking the
 * engine; anything older is found by the `event_ids` lookup. Generations instead of a Map-based
 * LRU because evicting from the front of a V8 Map that has seen many deletes walks its holes,
 * which made each insert slower as the set filled.
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    if (this.current.has(id)) return true;
    if (!this.previous.has(id)) return false;
    this.add(id);
    return true;
  }

  add(id: string): void {
    this.current.add(id);
    if (this.current.size >= Math.max(1, Math.floor(this.capacity / 2))) {
      this.previous = this.current;
      this.current = new Set();
    }
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
