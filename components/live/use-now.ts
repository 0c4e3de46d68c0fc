'use client';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`, for displays that age ("updated 4s ago"). */
export function useNow(everyMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
