import { EventEmitter } from 'node:events';
import type { LiveBus } from './live-bus';

export function createInProcessBus(): LiveBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(topic, message) {
      emitter.emit(topic, message);
    },
    async subscribe(topic, handler) {
      const listener = (message: Parameters<typeof handler>[0]) => handler(message);
      emitter.on(topic, listener);
      return async () => {
        emitter.off(topic, listener);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
