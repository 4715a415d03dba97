import { stringify } from 'csv-stringify/sync';
import { formatEuros, type Statement } from '../../domain';

export const STATEMENT_CSV_TYPE = 'text/csv; charset=utf-8';

export const STATEMENT_CSV_COLUMNS = [
  'finess',
  'period',
  'kind',
  'patient_id',
  'mission_line',
  'original_period',
  'units',
  'unit_rate_cents',
  'amount_cents',
  'amount_eur',
] as const;

/**
 * A computed statement as CSV for billing staff: one row per capitation line, mission line and
 * adjustment line, then the totals; amounts in cents and in euros (written from cents, no float).
 */
export function statementCsv(statement: Statement): string {
  const c = statement.computation;
  if (c === undefined) throw new RangeError(`the statement of ${statement.finess} for ${statement.period} has not been computed`);
  const row = (kind: string, cents: number, extra: Partial<Record<(typeof STATEMENT_CSV_COLUMNS)[number], string | number>> = {}) => [
    statement.finess,
    statement.period,
    kind,
    extra.patient_id ?? '',
    extra.mission_line ?? '',
    extra.original_period ?? '',
    extra.units ?? '',
    extra.unit_rate_cents ?? '',
    cents,
    formatEuros(cents),
  ];
  return stringify([
    [...STATEMENT_CSV_COLUMNS],
    ...c.lines.map((l) => row('capitation', l.cents, { patient_id: l.patientId })),
    ...c.missionLines.map((m) => row('mission', m.cents, { mission_line: m.line, units: m.units, unit_rate_cents: m.unitRateCents })),
    ...c.adjustmentLines.map((a) => row('adjustment', a.cents, { patient_id: a.patientId, original_period: a.originalPeriod })),
    row('total_capitation', c.capitationCents),
    row('total_missions', c.missionCents),
    row('total_adjustments', c.adjustmentCents),
    row('total', c.totalCents),
  ]);
}
