import { exceptionQueues, QUEUE_LABELS, severities } from '@/lib/exceptions/exception-item';
import type { Dimension } from '../board-view';
import type { KpiDefinition, KpiPart } from '../kpi-definition';
import { resolutionTimeReader } from '../readers/exception-resolution-times';
import { openExceptionsReader } from '../readers/open-exceptions';

/** Exceptions carry the channel and warehouse of what they are about (either may be absent). */
const EXCEPTION_SLICES: readonly Dimension[] = ['channel', 'warehouse'];

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const bySeverity = severities.map((severity): KpiPart => ({
  key: `severity_${severity}`,
  label: capitalised(severity),
  format: 'count',
  value: { kind: 'custom', read: openExceptionsReader({ severity }) },
}));

const byQueue = exceptionQueues.map((queue): KpiPart => ({
  key: `queue_${queue}`,
  label: QUEUE_LABELS[queue],
  format: 'count',
  value: { kind: 'custom', read: openExceptionsReader({ queue }) },
}));

/** Exceptions: the work items of the transactional store (lib/exceptions), read there. */
export const exceptionKpis: readonly KpiDefinition[] = [
  {
    key: 'exception_backlog',
    label: 'Exception backlog',
    section: 'exceptions',
    format: 'count',
    help: 'Exceptions opened before the end of the range and not resolved by then — open, claimed or snoozed — however old; beside it the same by severity (as it stands now) and by queue.',
    value: { kind: 'custom', read: openExceptionsReader() },
    parts: [...bySeverity, ...byQueue],
    better: 'lower',
    dimensions: EXCEPTION_SLICES,
    drillTo: 'exceptions',
  },
  {
    key: 'exception_mttr',
    label: 'Exception time to resolve p90',
    section: 'exceptions',
    format: 'hours',
    help: 'Per exception resolved in the range, by a person or because its cause cleared: resolved − opened. The exact 90th percentile (nearest rank), in hours, with the p50 beside it.',
    value: { kind: 'custom', read: resolutionTimeReader('p90') },
    parts: [
      { key: 'p50', label: 'p50', format: 'hours', value: { kind: 'custom', read: resolutionTimeReader('p50') } },
    ],
    better: 'lower',
    dimensions: EXCEPTION_SLICES,
    drillTo: 'exceptions',
  },
];
