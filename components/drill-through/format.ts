/** Money in the entity's own currency; an unknown code falls back to the code beside the number. */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

const units = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return units.format(n);
}

/** "2026-03-10 14:03:07 UTC": the tower shows business time in UTC everywhere. */
export function formatUtc(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "3m later", "2h later": how long after the fact an event reached the tower. */
export function formatDelay(fromIso: string, toIso: string): string {
  const seconds = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (!Number.isFinite(seconds) || seconds < 60) return '';
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m later`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h later`;
  return `${Math.floor(seconds / 86_400)}d later`;
}
