import type { GridKind } from '../statute/pay-grid';
import type { IsoDate } from '@pcn/time';
import type { Profession, Specialty } from './profession';
import type { AssignmentEndReason, AssignmentTerms, ExitReason, Identity } from './professional-events';

/**
 * Commands arrive validated in shape, with what the statute says already resolved by the
 * application (the grade's grid kind, the échelon a promotion reclassifies to).
 */
export type ProfessionalCommand =
  | {
      readonly type: 'HireProfessional';
      readonly professionalId: string;
      readonly identity: Identity;
      readonly profession: Profession;
      readonly specialty?: Specialty;
      readonly grade: string;
      readonly gradeGrid: GridKind;
      readonly echelon: number;
      readonly echelonSince: IsoDate;
      readonly retainedSeniorityMonths: number;
      readonly hiredOn: IsoDate;
    }
  | { readonly type: 'AdvanceEchelon'; readonly toEchelon: number; readonly effectiveOn: IsoDate }
  | {
      readonly type: 'PromoteProfessional';
      readonly toGrade: string;
      readonly toGradeGrid: GridKind;
      readonly toEchelon: number;
      readonly effectiveOn: IsoDate;
      readonly seniorityFrom: IsoDate;
    }
  | ({ readonly type: 'AssignToCentre' } & AssignmentTerms)
  | { readonly type: 'EndAssignment'; readonly assignmentId: string; readonly endOn: IsoDate; readonly reason: AssignmentEndReason }
  | { readonly type: 'RecordExit'; readonly exitOn: IsoDate; readonly reason: ExitReason };
