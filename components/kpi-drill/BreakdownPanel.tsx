'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatKpiValue, type KpiFormat } from '@/lib/charts/kpi-value-format';

export interface BreakdownRowView {
  value: string;
  reading: number | null;
  /** Where a click on this row goes: the drill-down narrowed to it; null when it cannot be narrowed to. */
  href: string | null;
}

const NONE = '(not stated)';

/** One dimension's breakdown: bars and rows, each narrowing the drill-down to its value on click. */
export function BreakdownPanel({ dimension, rows, format }: { dimension: string; rows: BreakdownRowView[]; format: KpiFormat }) {
  const router = useRouter();
  const bars = rows.filter((r) => r.reading !== null).map((r) => ({ name: r.value || NONE, reading: r.reading, href: r.href }));
  return (
    <section className="panel breakdown" data-testid={`breakdown-${dimension}`}>
      <h2 className="panel__title">By {dimension}</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing to break down in this range.</p>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={Math.min(40 + bars.length * 26, 320)}>
            <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
              <XAxis type="number" hide />
              <YAxis type="category" dataKey="name" stroke="#8b96a8" tick={{ fontSize: 12 }} width={120} />
              <Tooltip
                cursor={{ fill: 'rgba(255,255,255,0.06)' }}
                contentStyle={{ background: '#151b24', border: '1px solid #2a3240', borderRadius: 6 }}
                formatter={(v) => (typeof v === 'number' ? formatKpiValue(v, format) : '—')}
              />
              <Bar
                dataKey="reading"
                fill="var(--accent)"
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry: { payload?: { href?: string | null } }) => {
                  const href = entry.payload?.href;
                  if (href) router.push(href);
                }}
              />
            </BarChart>
          </ResponsiveContainer>
          <table className="breakdown__table">
            <tbody>
              {rows.map((r) => (
                <tr key={r.value}>
                  <td>
                    {r.href ? (
                      <Link href={r.href} data-testid={`narrow-${dimension}-${r.value}`}>
                        {r.value}
                      </Link>
                    ) : (
                      <span className="muted">{r.value || NONE}</span>
                    )}
                  </td>
                  <td className="num">{formatKpiValue(r.reading, format)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
