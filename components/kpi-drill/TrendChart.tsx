'use client';

import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { sparklineDomain, sparklinePoints } from '@/lib/charts/kpi-sparkline';
import { formatKpiValue, type KpiFormat } from '@/lib/charts/kpi-value-format';

/** A KPI's trend over the drill-down's range, one point per hour or day; gaps stay gaps. */
export function TrendChart({ series, format }: { series: readonly { at: string; value: number | null }[]; format: KpiFormat }) {
  const points = useMemo(() => sparklinePoints(series), [series]);
  const domain = useMemo(() => sparklineDomain(points), [points]);
  if (!domain) return <div className="chart-empty chart-empty--short">No data in this range yet.</div>;
  return (
    <div className="chart" data-testid="kpi-trend">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="#2a3240" vertical={false} />
          <XAxis dataKey="label" stroke="#8b96a8" tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis stroke="#8b96a8" tick={{ fontSize: 12 }} domain={domain} tickFormatter={(v: number) => formatKpiValue(v, format)} width={80} />
          <Tooltip
            contentStyle={{ background: '#151b24', border: '1px solid #2a3240', borderRadius: 6 }}
            formatter={(v) => (typeof v === 'number' ? formatKpiValue(v, format) : '—')}
            labelFormatter={(label) => `${String(label)} UTC`}
          />
          <Line type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
