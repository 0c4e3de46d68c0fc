'use client';

import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';

/** `paused` once a live connection dropped or could not be made; the socket keeps retrying. */
export type LiveStatus = 'connecting' | 'live' | 'paused';

export function goToSignIn(): void {
  window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

/**
 * Listens to one socket.io feed (a room the server pushes to). `onMessage` gets every push;
 * `onReconnect` runs after a dropped connection comes back, so the caller can resync whatever it
 * missed. There is no polling anywhere.
 */
export function useLiveFeed(feed: string, handlers: { onMessage: (payload: unknown) => void; onReconnect: () => void }): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const socket = io({ path: '/socket.io', withCredentials: true });
    let connectedBefore = false;
    socket.on('connect', () => {
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
      socket.disconnect();
    };
  }, [feed]);

  return status;
}
