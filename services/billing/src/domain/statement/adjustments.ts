import type { PeriodId } from '../schedule/calendar';
import type { Cents } from '../schedule/money';
import type { AdjustmentLine, StatementLine } from './statement-model';

/**
 * Adjustment lines for a past, issued period: for each patient, what the period is worth now
 * minus everything already stated for it (its line on the original statement plus the adjustments
 * of later statements). Adding them keeps the sum of all statements equal to the capitation
 * recomputed from scratch. Sorted by patient id, so a re-run gives the same lines.
 *
 * An erased patient's facts are gone, so their past cannot be recomputed: what was stated for
 * them is final (docs/adr/0025: issued lines stay as issued), and no adjustment names them.
 */
export function adjustmentLines(
  originalPeriod: PeriodId,
  alreadyStated: ReadonlyMap<string, Cents>,
  recomputed: readonly StatementLine[],
  erased: ReadonlySet<string> = new Set(),
): AdjustmentLine[] {
  const now = new Map(recomputed.map((l) => [l.patientId, l.cents]));
  const patients = [...new Set([...alreadyStated.keys(), ...now.keys()])].filter((p) => !erased.has(p)).sort();
  const lines: AdjustmentLine[] = [];
  for (const patientId of patients) {
    const cents = (now.get(patientId) ?? 0) - (alreadyStated.get(patientId) ?? 0);
    if (cents !== 0) lines.push({ originalPeriod, patientId, cents });
  }
  return lines;
}

/** Per patient, everything statements already said about a period: original lines plus adjustments referencing it. */
export function statedFor(period: PeriodId, original: readonly StatementLine[], laterAdjustments: readonly AdjustmentLine[]): Map<string, Cents> {
  const stated = new Map<string, Cents>();
  for (const l of original) stated.set(l.patientId, (stated.get(l.patientId) ?? 0) + l.cents);
  for (const a of laterAdjustments) if (a.originalPeriod === period) stated.set(a.patientId, (stated.get(a.patientId) ?? 0) + a.cents);
  return stated;
}
