'use client';

import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { goToSignIn, type LiveStatus } from './use-live-feed';

/**
 * Watches one room of a socket.io room feed (a board view): asks the server to watch `room` on
 * every connect, and again on the same socket when `room` changes. `onReconnect` runs after a
 * dropped connection comes back (the server may have restarted), so the caller resyncs in full.
 */
export function useLiveRoom(
  feed: string,
  room: string,
  handlers: { onMessage: (payload: unknown) => void; onReconnect: () => void },
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;
  const roomRef = useRef(room);
  roomRef.current = room;
  const socketRef = useRef<Socket | null>(null);

  useEffect(() => {
    const socket = io({ path: '/socket.io', withCredentials: true });
    socketRef.current = socket;
    let connectedBefore = false;
    socket.on('connect', () => {
      socket.emit(`${feed}:watch`, roomRef.current);
      setStatus('live');
      if (connectedBefore) latest.current.onReconnect();
      connectedBefore = true;
    });
    socket.on('disconnect', () => setStatus('paused'));
    socket.on('connect_error', (err: Error) => {
      setStatus('paused');
      if (err.message === 'unauthorized') goToSignIn();
    });
    socket.on(feed, (payload: unknown) => latest.current.onMessage(payload));
    return () => {
      socketRef.current = null;
      socket.disconnect();
    };
  }, [feed]);

  useEffect(() => {
    const socket = socketRef.current;
    if (socket?.connected) socket.emit(`${feed}:watch`, room);
  }, [feed, room]);

  return status;
}
