'use client';

import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { shapeOrdersByChannel, type HourBucket } from '@/lib/charts/orders-by-channel-series';

const CHANNEL_COLOURS = ['#4cc9f0', '#f4a259', '#90be6d', '#c77dff', '#f25c78', '#ffd166', '#43aa8b', '#adb5bd'];

export function OrdersByChannelChart({ snapshot }: { snapshot: BoardSnapshot }) {
  const series = useMemo(
    () => shapeOrdersByChannel(snapshot.ordersByChannel, { day: snapshot.day, now: new Date(snapshot.computedAt) }),
    [snapshot.ordersByChannel, snapshot.day, snapshot.computedAt],
  );

  if (series.totalOrders === 0) {
    return (
      <div className="chart-empty" data-testid="orders-by-channel-empty">
        No orders yet on {snapshot.day}. Bars appear here, per channel and hour, as orders arrive.
      </div>
    );
  }

  return (
    <div className="chart" data-testid="orders-by-channel-chart">
      <ResponsiveContainer width="100%" height={320}>
        <BarChart data={series.buckets} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid stroke="#2a3240" vertical={false} />
          <XAxis
            dataKey="label"
            stroke="#8b96a8"
            tick={{ fontSize: 12 }}
            interval={1}
            label={{ value: 'Hour (UTC)', position: 'insideBottom', offset: -16, fill: '#8b96a8', fontSize: 12 }}
          />
          <YAxis
            stroke="#8b96a8"
            tick={{ fontSize: 12 }}
            allowDecimals={false}
            label={{ value: 'Orders', angle: -90, position: 'insideLeft', fill: '#8b96a8', fontSize: 12 }}
          />
          <Tooltip
            cursor={{ fill: 'rgba(255,255,255,0.06)' }}
            contentStyle={{ background: '#151b24', border: '1px solid #2a3240', borderRadius: 6 }}
            labelStyle={{ color: '#e6ebf2' }}
            labelFormatter={(label) => `${String(label)} UTC`}
          />
          <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 13 }} />
          {series.channels.map((channel, i) => (
            <Bar
              key={channel}
              name={channel}
              dataKey={(bucket: HourBucket) => bucket.orders[channel]}
              stackId="orders"
              fill={CHANNEL_COLOURS[i % CHANNEL_COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
