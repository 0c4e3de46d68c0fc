import { createClient } from 'redis';
import type { LiveBus } from './live-bus';

/**
 * The live bus over Redis pub/sub, for separate web and ingest processes. Channels are
 * `<prefix>:bus:<topic>`: pub/sub channels are global to a Redis server, whatever database the
 * URL names, so each deployment on a shared Redis needs a prefix of its own.
 */
export async function createRedisBus(url: string, prefix: string): Promise<LiveBus> {
  const channel = (topic: string) => `${prefix}:bus:${topic}`;
  const publisher = createClient({ url });
  const subscriber = publisher.duplicate();
  publisher.on('error', (err: Error) => console.error('[bus] redis publisher:', err.message));
  subscriber.on('error', (err: Error) => console.error('[bus] redis subscriber:', err.message));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return {
    async publish(topic, message) {
      await publisher.publish(channel(topic), JSON.stringify(message));
    },
    async subscribe(topic, handler) {
      const listener = (raw: string) => handler(JSON.parse(raw));
      await subscriber.subscribe(channel(topic), listener);
      return async () => {
        await subscriber.unsubscribe(channel(topic), listener);
      };
    },
    async close() {
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
