import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { getSession } from './auth/session';

/** A live feed: given a push function, starts pushing and returns how to stop. */
export type LiveFeed = (push: (payload: unknown) => void) => () => void;

/**
 * socket.io on the web server's own port. Only signed-in users connect. Each feed is a room: a
 * payload is computed once by its producer and broadcast to the room, never per viewer. With
 * REDIS_URL the Redis streams adapter fans out across web processes and lets a briefly
 * disconnected browser recover the messages it missed.
 */
export async function attachLiveSockets(o: {
  server: HttpServer;
  redisUrl?: string;
  feeds: Record<string, LiveFeed>;
}): Promise<() => Promise<void>> {
  const redis = o.redisUrl ? createClient({ url: o.redisUrl }) : null;
  if (redis) {
    redis.on('error', (err: Error) => console.error('[sockets] redis:', err.message));
    await redis.connect();
  }
  const io = new Server(o.server, {
    path: '/socket.io',
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    ...(redis ? { adapter: createAdapter(redis) } : {}),
  });

  io.use((socket, next) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(socket.request.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(', '));
    }
    getSession(headers)
      .then((session) => {
        if (!session) return next(new Error('unauthorized'));
        socket.data.userId = session.user.id;
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  io.on('connection', (socket) => {
    for (const feed of Object.keys(o.feeds)) void socket.join(feed);
  });

  const stops = Object.entries(o.feeds).map(([feed, start]) => start((payload) => io.to(feed).emit(feed, payload)));

  return async () => {
    for (const stop of stops) stop();
    await io.close();
    await redis?.quit();
  };
}
