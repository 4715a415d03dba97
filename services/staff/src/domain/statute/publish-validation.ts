import type { FieldViolation } from '@pcn/eventsourcing';
import { isIsoDate } from '@pcn/time';
import type { IndexPointValue } from './index-point';
import { GRID_KINDS, type PayGridVersion } from './pay-grid';
import type { Statute } from './statute';
import { UnpublishableGridError } from './statute-errors';

/*
 * What a grid version must satisfy before a coordinator may publish it. The checks are on the
 * data only (a version is a copy of a text, it cannot be "partly" valid); every violation is
 * returned at once, named by its path in the version, e.g. `grades.ide_b_cn.echelons[3].indiceMajore`
 * (échelon list index, 0-based: echelons[3] is échelon 4).
 * Runs on untrusted input (REST, gRPC, files), so it checks types as well as values.
 */

const VERSION_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const GRADE_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const URL = /^https?:\/\/\S+$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function checkSource(source: unknown, path: string, out: FieldViolation[]): void {
  if (!isObj(source)) {
    out.push({ field: path, description: 'must be an object with title, reference and url' });
    return;
  }
  if (!nonEmptyString(source['title'])) out.push({ field: `${path}.title`, description: 'the name of the text is required' });
  if (!nonEmptyString(source['reference'])) out.push({ field: `${path}.reference`, description: 'a reference (NOR, JORF, article or page) is required' });
  if (typeof source['url'] !== 'string' || !URL.test(source['url'])) out.push({ field: `${path}.url`, description: 'an http(s) address is required' });
  if (source['date'] !== undefined && !isIsoDate(source['date'])) out.push({ field: `${path}.date`, description: 'must be a date written YYYY-MM-DD' });
}

function checkSources(sources: unknown, path: string, required: boolean, out: FieldViolation[]): void {
  if (sources === undefined && !required) return;
  if (!Array.isArray(sources) || (required && sources.length === 0)) {
    out.push({ field: path, description: 'every figure must be sourced: give at least one source' });
    return;
  }
  sources.forEach((s, i) => checkSource(s, `${path}[${i}]`, out));
}

function checkGrade(kind: string, code: string, grade: unknown, out: FieldViolation[]): void {
  const path = `grades.${code}`;
  if (!GRADE_CODE.test(code)) out.push({ field: path, description: 'grade codes are lower-case letters, digits and underscores, starting with a letter' });
  if (!isObj(grade)) {
    out.push({ field: path, description: 'must be an object with label and echelons' });
    return;
  }
  if (!nonEmptyString(grade['label'])) out.push({ field: `${path}.label`, description: 'a label is required' });
  checkSources(grade['sources'], `${path}.sources`, false, out);
  const echelons = grade['echelons'];
  if (!Array.isArray(echelons) || echelons.length === 0) {
    out.push({ field: `${path}.echelons`, description: 'a grade has at least one échelon' });
    return;
  }
  const amountField = kind === 'ph' ? 'annualGrossCents' : 'indiceMajore';
  const otherField = kind === 'ph' ? 'indiceMajore' : 'annualGrossCents';
  let previous: number | undefined;
  echelons.forEach((e: unknown, i) => {
    const at = `${path}.echelons[${i}]`;
    if (!isObj(e)) {
      out.push({ field: at, description: 'must be an object' });
      previous = undefined;
      return;
    }
    if (e['echelon'] !== i + 1) out.push({ field: `${at}.echelon`, description: `échelons are numbered 1 to ${echelons.length} in order: expected ${i + 1}` });
    const amount = e[amountField];
    if (!positiveInt(amount)) {
      out.push({
        field: `${at}.${amountField}`,
        description: kind === 'ph' ? 'annual gross emoluments must be a positive whole number of cents' : 'the indice majoré must be a positive whole number',
      });
      previous = undefined;
    } else {
      if (previous !== undefined && amount < previous) {
        out.push({ field: `${at}.${amountField}`, description: `pay may not decrease with the échelon: ${amount} is below échelon ${i}'s ${previous}` });
      }
      previous = amount;
    }
    if (e[otherField] !== undefined) out.push({ field: `${at}.${otherField}`, description: `a ${kind} grid carries ${amountField}, not ${otherField}` });
    if (kind === 'fph' && e['indiceBrut'] !== undefined && !positiveInt(e['indiceBrut'])) {
      out.push({ field: `${at}.indiceBrut`, description: 'the indice brut, when given, must be a positive whole number' });
    }
    const last = i === echelons.length - 1;
    if (last && e['durationMonths'] !== undefined) {
      out.push({ field: `${at}.durationMonths`, description: 'the last échelon has no duration: there is no next échelon' });
    }
    if (!last && !positiveInt(e['durationMonths'])) {
      out.push({ field: `${at}.durationMonths`, description: `the months to serve before échelon ${i + 2} must be a positive whole number` });
    }
  });
}

/** Every reason `version` may not be published (empty when it may). */
export function publishValidation(version: PayGridVersion, statute?: Statute): FieldViolation[] {
  const out: FieldViolation[] = [];
  const v: unknown = version;
  if (!isObj(v)) return [{ field: '', description: 'a grid version must be an object' }];
  const kind = v['kind'];
  if (typeof v['id'] !== 'string' || !VERSION_ID.test(v['id']))
    out.push({ field: 'id', description: 'lower-case letters, digits and hyphens, e.g. fph-2024-01-01' });
  if (!GRID_KINDS.includes(kind as never)) out.push({ field: 'kind', description: `must be one of ${GRID_KINDS.join(', ')}` });
  if (!isIsoDate(v['effectiveFrom'])) out.push({ field: 'effectiveFrom', description: 'must be a calendar date written YYYY-MM-DD' });
  checkSources(v['sources'], 'sources', true, out);
  if (v['carriedForwardFrom'] !== undefined && (typeof v['carriedForwardFrom'] !== 'string' || !VERSION_ID.test(v['carriedForwardFrom']))) {
    out.push({ field: 'carriedForwardFrom', description: 'the id of a published version, e.g. fph-2024-01-01' });
  }
  const grades = v['grades'];
  if (!isObj(grades) || Object.keys(grades).length === 0) {
    out.push({ field: 'grades', description: 'a grid version defines at least one grade' });
  } else if (typeof kind === 'string') {
    for (const [code, grade] of Object.entries(grades)) checkGrade(kind, code, grade, out);
  }

  if (statute) {
    // A decree restates the whole grid: a grade of the version in force before must not vanish,
    // or the professionals on it would have no pay from the new date.
    const before = statute.gridVersions
      .filter((o) => o.kind === kind && typeof v['effectiveFrom'] === 'string' && o.effectiveFrom < v['effectiveFrom'])
      .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
    if (before && isObj(grades)) {
      for (const code of Object.keys(before.grades).sort()) {
        if (!Object.prototype.hasOwnProperty.call(grades, code))
          out.push({ field: `grades.${code}`, description: `grade ${code} of version ${before.id} is missing: a new version restates every grade` });
      }
    }
    // Carried grades come from the grid in force just before, or a change made in between would
    // be silently undone from this date.
    const carried = v['carriedForwardFrom'];
    if (carried !== undefined && (!before || before.id !== carried)) {
      out.push({
        field: 'carriedForwardFrom',
        description: before
          ? `grades are carried forward from the version in force before ${String(v['effectiveFrom'])}: ${before.id}, not ${String(carried)}`
          : `no ${String(kind)} version takes effect before ${String(v['effectiveFrom'])}: there is nothing to carry forward`,
      });
    }
    for (const other of statute.gridVersions) {
      if (other.id === v['id']) out.push({ field: 'id', description: `a version ${other.id} is already published` });
      else if (other.kind === kind && other.effectiveFrom === v['effectiveFrom']) {
        out.push({ field: 'effectiveFrom', description: `version ${other.id} already takes effect on ${other.effectiveFrom}` });
      }
      if (other.kind !== kind && isObj(grades)) {
        for (const code of Object.keys(grades)) {
          if (Object.prototype.hasOwnProperty.call(other.grades, code)) {
            out.push({ field: `grades.${code}`, description: `grade code ${code} belongs to the ${other.kind} grid (version ${other.id})` });
          }
        }
      }
    }
  }
  return out;
}

/** Throws UnpublishableGridError listing every violation; returns the version otherwise. */
export function assertPublishable(version: PayGridVersion, statute?: Statute): PayGridVersion {
  const violations = publishValidation(version, statute);
  if (violations.length > 0) throw new UnpublishableGridError(violations);
  return version;
}

/** The same checks for an index-point value. */
export function indexPointValueValidation(value: IndexPointValue, statute?: Statute): FieldViolation[] {
  const out: FieldViolation[] = [];
  const v: unknown = value;
  if (!isObj(v)) return [{ field: '', description: 'an index-point value must be an object' }];
  if (!isIsoDate(v['effectiveFrom'])) out.push({ field: 'effectiveFrom', description: 'must be a calendar date written YYYY-MM-DD' });
  if (!positiveInt(v['annualCentsPer100Points'])) {
    out.push({ field: 'annualCentsPer100Points', description: 'the annual traitement of indice majoré 100, in cents, must be a positive whole number' });
  }
  checkSource(v['source'], 'source', out);
  if (statute?.indexPointValues.some((other) => other.effectiveFrom === v['effectiveFrom'])) {
    out.push({ field: 'effectiveFrom', description: `an index-point value already takes effect on ${String(v['effectiveFrom'])}` });
  }
  return out;
}
