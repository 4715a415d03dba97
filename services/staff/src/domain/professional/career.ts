import { echelonOn, type EchelonPosition } from '../statute/echelon-progression';
import { addDays, type IsoDate } from '@pcn/time';
import type { Statute } from '../statute/statute';
import type { ProfessionalCommand } from './professional-commands';
import { careerStepOn, type Professional } from './professional-state';

/**
 * Grade and échelon of a professional on `day`, as the statute makes them: the career step in
 * effect that day, with the échelons its progression has reached by then. It does not depend
 * on the scheduled advancement process having run, so a past or future date is answered alike.
 * Undefined before the hire.
 */
export function positionOn(professional: Professional, statute: Statute, day: IsoDate): EchelonPosition | undefined {
  const step = careerStepOn(professional, day);
  if (!step) return undefined;
  return echelonOn({
    statute,
    grade: step.grade,
    startEchelon: step.echelon,
    startDate: step.progressionFrom,
    retainedSeniorityMonths: step.retainedSeniorityMonths,
    date: day,
  });
}

type AdvanceEchelon = Extract<ProfessionalCommand, { type: 'AdvanceEchelon' }>;

/**
 * The advancements the scheduled process records for a professional up to `day`: one command per
 * échelon served and not yet recorded, in order (the decider takes them one at a time). Empty for
 * someone who has left, or whose recorded échelon is already the one the statute gives.
 */
export function advancementsToRecord(professional: Professional, statute: Statute, day: IsoDate): AdvanceEchelon[] {
  const last = professional.career[professional.career.length - 1]!;
  const until = professional.exitOn !== undefined && professional.exitOn <= day ? addDays(professional.exitOn, -1) : day;
  if (until < last.effectiveOn) return [];
  const commands: AdvanceEchelon[] = [];
  let position = echelonOn({
    statute,
    grade: last.grade,
    startEchelon: last.echelon,
    startDate: last.progressionFrom,
    retainedSeniorityMonths: last.retainedSeniorityMonths,
    date: last.effectiveOn,
  });
  while (position.nextAdvancementOn !== undefined && position.nextAdvancementOn <= until) {
    const on = position.nextAdvancementOn;
    const next = echelonOn({
      statute,
      grade: last.grade,
      startEchelon: last.echelon,
      startDate: last.progressionFrom,
      retainedSeniorityMonths: last.retainedSeniorityMonths,
      date: on,
    });
    commands.push({ type: 'AdvanceEchelon', toEchelon: next.echelon, effectiveOn: on });
    position = next;
  }
  return commands;
}
