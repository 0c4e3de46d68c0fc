import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { getSession } from './auth/session';

/** A live feed: given a push function, starts pushing and returns how to stop. */
export type LiveFeed = (push: (payload: unknown) => void) => () => void;

/**
 * A feed split into rooms, one per thing a browser can watch (a board view). A browser asks to
 * watch with `<feed>:watch` and one argument; it is in one room of a feed at a time. Producers
 * compute what the watchers of this process need, so pushes go to this process's sockets only.
 */
export interface LiveRoomFeed {
  /** The room a watch request names, or null when the request is not a valid one. */
  roomOf(request: unknown): string | null;
  /** A socket of this process started watching the room; returns how to stop watching. */
  watch(room: string): () => void;
  /** Starts pushing; returns how to stop. */
  start(push: (room: string, payload: unknown) => void): () => void;
}

/**
 * socket.io on the web server's own port. Only signed-in users connect. Each feed is a room: a
 * payload is computed once by its producer and broadcast to the room, never per viewer. With
 * REDIS_URL the Redis streams adapter fans out across web processes and lets a briefly
 * disconnected browser recover the messages it missed.
 */
export async function attachLiveSockets(o: {
  server: HttpServer;
  redis?: { url: string; prefix: string };
  feeds: Record<string, LiveFeed>;
  roomFeeds?: Record<string, LiveRoomFeed>;
}): Promise<() => Promise<void>> {
  const redis = o.redis ? createClient({ url: o.redis.url }) : null;
  if (redis) {
    redis.on('error', (err: Error) => console.error('[sockets] redis:', err.message));
    await redis.connect();
  }
  const io = new Server(o.server, {
    path: '/socket.io',
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    ...(redis && o.redis ? { adapter: createAdapter(redis, { streamName: `${o.redis.prefix}:socket.io` }) } : {}),
  });

  io.use((socket, next) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(socket.request.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(', '));
    }
    getSession(headers, { forRead: true })
      .then((session) => {
        if (!session) return next(new Error('unauthorized'));
        socket.data.userId = session.user.id;
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  const roomFeeds = Object.entries(o.roomFeeds ?? {});
  const roomName = (feed: string, room: string) => `${feed}:${room}`;

  io.on('connection', (socket) => {
    for (const feed of Object.keys(o.feeds)) void socket.join(feed);
    for (const [feed, rooms] of roomFeeds) {
      // Per socket object, not socket.data: a recovered connection is a new object whose watch
      // was already stopped on disconnect, and the browser asks again on every connect.
      let stopWatching: (() => void) | null = null;
      socket.on(`${feed}:watch`, (request: unknown, ack?: unknown) => {
        const room = rooms.roomOf(request);
        const answer = (reply: object) => {
          if (typeof ack === 'function') ack(reply);
        };
        if (room === null) return answer({ error: 'not a view this server can show' });
        for (const joined of socket.rooms) if (joined.startsWith(`${feed}:`)) void socket.leave(joined);
        void socket.join(roomName(feed, room));
        stopWatching?.();
        stopWatching = rooms.watch(room);
        answer({ room });
      });
      socket.on('disconnect', () => {
        stopWatching?.();
        stopWatching = null;
      });
    }
  });

  const stops = [
    ...Object.entries(o.feeds).map(([feed, start]) => start((payload) => io.to(feed).emit(feed, payload))),
    ...roomFeeds.map(([feed, rooms]) => rooms.start((room, payload) => io.local.to(roomName(feed, room)).emit(feed, payload))),
  ];

  return async () => {
    for (const stop of stops) stop();
    await io.close();
    await redis?.quit();
  };
}
