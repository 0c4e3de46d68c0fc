import type { Kysely } from 'kysely';
import { appendAudit } from '@/lib/actions/audit-log';
import type { LiveBus } from '@/lib/bus/live-bus';
import { deleteStoredTarget, listStoredTargets, saveStoredTarget } from '@/lib/targets/kpi-target-store';
import { kpiCatalogue, kpiDefinition } from './kpi-catalogue';
import type { KpiDefinition, KpiTarget } from './kpi-definition';

/** The target in force for one KPI, and where it comes from. */
export interface TargetInForce {
  key: string;
  target: KpiTarget | null;
  source: 'admin' | 'default' | 'none';
  updatedBy: string | null;
  updatedAt: string | null;
}

/** Every catalogue KPI's target: the admin's where one is stored, else the catalogue's default. */
export async function listTargetsInForce(
  db: Kysely<object>,
  kpis: readonly KpiDefinition[] = kpiCatalogue,
): Promise<TargetInForce[]> {
  const stored = new Map((await listStoredTargets(db)).map((t) => [t.kpiKey, t]));
  return kpis.map((kpi) => {
    const s = stored.get(kpi.key);
    if (s) {
      return {
        key: kpi.key,
        target: { direction: s.direction, value: s.value, amber: s.amber },
        source: 'admin',
        updatedBy: s.updatedBy,
        updatedAt: s.updatedAt,
      };
    }
    return { key: kpi.key, target: kpi.target ?? null, source: kpi.target ? 'default' : 'none', updatedBy: null, updatedAt: null };
  });
}

export async function targetsInForceMap(db: Kysely<object>): Promise<Map<string, KpiTarget | null>> {
  return new Map((await listTargetsInForce(db)).map((t) => [t.key, t.target]));
}

export class UnknownKpiError extends Error {
  constructor(readonly kpiKey: string) {
    super(`There is no KPI "${kpiKey}" in the catalogue.`);
    this.name = 'UnknownKpiError';
  }
}

export class InvalidTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTargetError';
  }
}

/** Why a target cannot be right for this KPI, or null. Percent targets are fractions (0.995 = 99.5 %). */
export function targetProblem(kpi: KpiDefinition, target: KpiTarget): string | null {
  if (kpi.format === 'percent' && (target.value < 0 || target.value > 1)) {
    return `${kpi.label} is a percentage: its target must lie between 0 and 1 (0.995 = 99.5 %).`;
  }
  if (kpi.format === 'percent' && target.amber > 1) return `The amber band of ${kpi.label} must be a fraction, at most 1.`;
  if (target.value < 0 && kpi.format !== 'money') return `${kpi.label} cannot be negative.`;
  return null;
}

/**
 * An admin sets a KPI's target, or with `target: null` goes back to the catalogue's default. The
 * change is written to the audit log with the targets before and after, then announced so that
 * every open board recomputes its status colours.
 */
export async function changeKpiTarget(
  deps: { db: Kysely<object>; bus: LiveBus | undefined },
  change: { kpiKey: string; target: KpiTarget | null; admin: { userId: string; name: string; role: string } },
): Promise<TargetInForce> {
  const kpi = kpiDefinition(change.kpiKey);
  if (!kpi) throw new UnknownKpiError(change.kpiKey);
  const problem = change.target ? targetProblem(kpi, change.target) : null;
  if (problem) throw new InvalidTargetError(problem);
  const find = async () => (await listTargetsInForce(deps.db, [kpi]))[0];
  const before = await find();
  if (change.target) {
    await saveStoredTarget(deps.db, { kpiKey: kpi.key, ...change.target }, change.admin.userId);
  } else {
    await deleteStoredTarget(deps.db, kpi.key);
  }
  const after = await find();
  await appendAudit(deps.db, {
    actor: change.admin,
    action: 'set_kpi_target',
    entity: { type: 'kpi', id: kpi.key },
    exceptionId: null,
    idempotencyKey: null,
    payload: { target: change.target },
    before: { target: before.target, source: before.source },
    after: { target: after.target, source: after.source },
    answer: null,
    outcome: 'done',
    message: change.target
      ? `Target of ${kpi.label} set to ${change.target.direction === 'at_least' ? '≥' : '≤'} ${change.target.value} (amber within ${change.target.amber}).`
      : `Target of ${kpi.label} back to the catalogue default.`,
  });
  await deps.bus?.publish('targets', { at: new Date().toISOString(), kpiKey: kpi.key }).catch((err: unknown) => {
    console.error(`[targets] change announcement failed: ${err instanceof Error ? err.message : String(err)}`);
  });
  return after;
}
