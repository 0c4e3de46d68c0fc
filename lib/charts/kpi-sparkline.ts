/** A sparkline point as recharts draws it: a null value is a gap in the line, not a zero. */
export interface SparkPoint {
  at: string;
  /** "14:00" for an hourly series, "03-09" for a daily one (UTC). */
  label: string;
  value: number | null;
}

/**
 * Shapes a tile's series for its sparkline. The ledger labels steps 'YYYY-MM-DD HH:00:00' or
 * 'YYYY-MM-DD'; non-finite values become gaps. Pure, so it is tested apart from the drawing.
 */
export function sparklinePoints(series: readonly { at: string; value: number | null }[]): SparkPoint[] {
  return series.map((p) => ({
    at: p.at,
    label: p.at.length > 10 ? p.at.slice(11, 16) : p.at.slice(5, 10),
    value: p.value !== null && Number.isFinite(p.value) ? p.value : null,
  }));
}

/**
 * The y-range to draw, padded so a flat line sits mid-height, but never padded across zero: a
 * rate or a count that stayed at 0 is drawn on the floor of a 0…1 axis, not mid-way up a
 * −100 %…100 % one. Null when there is nothing to draw.
 */
export function sparklineDomain(points: readonly SparkPoint[]): [number, number] | null {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = max === min ? Math.abs(max) * 0.1 || 1 : (max - min) * 0.1;
  return [min >= 0 ? Math.max(0, min - pad) : min - pad, max <= 0 && min < 0 ? Math.min(0, max + pad) : max + pad];
}
