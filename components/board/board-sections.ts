import type { BoardTile } from '@/analytics/board/board-snapshot';
import { KPI_SECTIONS, type KpiSection } from '@/analytics/kpis/kpi-definition';

export const SECTION_LABELS: Record<KpiSection, string> = {
  sales: 'Sales',
  fulfilment: 'Fulfilment',
  stock: 'Stock',
  returns: 'Returns',
  finance: 'Finance',
  exceptions: 'Exceptions',
};

/** The board's sections in catalogue order, each with its tiles; sections without tiles are left out. */
export function tilesBySection(tiles: readonly BoardTile[]): { section: KpiSection; tiles: BoardTile[] }[] {
  return KPI_SECTIONS.map((section) => ({ section, tiles: tiles.filter((t) => t.section === section) })).filter(
    (s) => s.tiles.length > 0,
  );
}
