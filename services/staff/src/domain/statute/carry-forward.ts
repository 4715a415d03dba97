import type { Grade, AnyEchelon, PayGridVersion } from './pay-grid';
import type { Statute } from './statute';
import { UnpublishableGridError } from './statute-errors';

/*
 * A decree, or the network, often changes a few grades of a grid; the grid itself is restated
 * as a whole from the new date (a version in force is never edited). Rather than retype every
 * other grade, a coordinator names the version they come from: `carriedForwardFrom`. The
 * version recorded is the whole grid, the grades given plus the others copied unchanged, so pay
 * on any date never depends on another version than the one in force. Whether the named version
 * is the one in force just before is a publication rule (publish-validation.ts).
 */

/** `version` with every grade of its `carriedForwardFrom` version that it does not give itself. */
export function withCarriedGrades(version: PayGridVersion, statute: Statute): PayGridVersion {
  const fromId = version.carriedForwardFrom;
  if (fromId === undefined) return version;
  const from = statute.gridVersions.find((v) => v.id === fromId);
  const refuse = (description: string): never => {
    throw new UnpublishableGridError([{ field: 'carriedForwardFrom', description }]);
  };
  if (!from) return refuse(`no published version ${fromId} to carry grades from`);
  if (from.kind !== version.kind) return refuse(`version ${fromId} is a ${from.kind} grid, this one is ${version.kind}`);
  if (!(from.effectiveFrom < version.effectiveFrom))
    return refuse(`version ${fromId} takes effect on ${from.effectiveFrom}: grades are carried forward from an earlier version`);
  const given = version.grades as Readonly<Record<string, Grade<AnyEchelon>>>;
  const grades: Record<string, Grade<AnyEchelon>> = {};
  for (const [code, grade] of Object.entries(from.grades as Readonly<Record<string, Grade<AnyEchelon>>>)) {
    if (!Object.prototype.hasOwnProperty.call(given, code)) grades[code] = grade;
  }
  for (const [code, grade] of Object.entries(given)) grades[code] = grade;
  return { ...version, grades } as PayGridVersion;
}
