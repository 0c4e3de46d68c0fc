/**
 * A process-wide slot for a long-lived service (the ClickHouse gateway, the auth instance, the
 * live bus). The custom server fills each slot once at start; Next.js route handlers, which are
 * bundled separately and so cannot share module state with the server, read them from here.
 */
export interface RuntimeSlot<T> {
  set(value: T): void;
  get(): T;
  peek(): T | undefined;
}

export function runtimeSlot<T>(name: string): RuntimeSlot<T> {
  const key = Symbol.for(`control-tower.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    set(value) {
      store[key] = value;
    },
    get() {
      const value = store[key];
      if (value === undefined) throw new Error(`${name} is not running in this process (start it with npm start)`);
      return value;
    },
    peek() {
      return store[key];
    },
  };
}
