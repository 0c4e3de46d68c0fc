'use client';

import { useMemo } from 'react';
import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import { sparklineDomain, sparklinePoints } from '@/lib/charts/kpi-sparkline';

/** A tile's trend over its range; gaps stay gaps. The shaping is done by pure functions in lib/charts. */
export function Sparkline({ series, height = 40 }: { series: readonly { at: string; value: number | null }[]; height?: number }) {
  const points = useMemo(() => sparklinePoints(series), [series]);
  const domain = useMemo(() => sparklineDomain(points), [points]);
  if (!domain) return <div className="sparkline sparkline--empty" style={{ height }} aria-hidden="true" />;
  return (
    <div className="sparkline" style={{ height }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={domain} />
          <Line type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
