import { createClient } from 'redis';
import type { LiveBus } from './live-bus';

const channel = (topic: string) => `tower:bus:${topic}`;

/** The live bus over Redis pub/sub, for separate web and ingest processes. */
export async function createRedisBus(url: string): Promise<LiveBus> {
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
