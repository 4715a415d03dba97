import {
  ConcurrencyError,
  DomainError,
  EventIdConflictError,
  ValidationError,
  commandEventIds,
  eventMetadata,
  nameBasedUuid,
  type CommandContext,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type StreamAppend,
} from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { joinPanel } from '../domain/panel/panel-decisions';
import type { PanelEvent } from '../domain/panel/panel-events';
import { evolvePanel, type PanelState } from '../domain/panel/panel-state';
import type { PatientEvent } from '../domain/patient/patient-events';
import { declare, registerPatient, type Declaration } from '../domain/patient/patient-decisions';
import type { PatientProfile } from '../domain/patient/patient-profile';
import { evolvePatient, initialPatientState } from '../domain/patient/patient-state';
import { gpCapacity, requireAssignedGp, requireMemberCentre, type GpFacts } from '../domain/gp/gp-eligibility';
import { checkProfile } from '../domain/patient/profile-checks';
import { attributionEventSchemas } from './event-schemas';
import { readGpFacts } from './gp-eligibility';
import type { PanelBook } from './panel-book';
import type { PatientIdentity } from './patient-identity';
import { checkAgainstNir } from './patients';
import type { PatientCommands } from './patient-commands';
import { today, type Clock, type PractitionerDirectory } from './ports';
import { declareInput, registerPatientInput } from './schemas';
import { panelStream, patientStream } from './stream-ids';

/** The columns of an import file (docs/runbook.md, "Onboarding patients in bulk"). */
export const IMPORT_COLUMNS = ['nir', 'birth_date', 'sex', 'commune_insee', 'ald', 'c2s', 'rpps', 'centre_finess', 'effective_date', 'channel'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** One line of an import file, by column name (missing and empty cells alike are absent). */
export interface ImportLine {
  /** Line number in the file, for the report. */
  readonly line: number;
  readonly values: Readonly<Partial<Record<ImportColumn, string>>>;
}

export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
}

export interface ImportBatchOutcome {
  /** Patients registered and/or declared by this batch. */
  readonly imported: number;
  /** Patients already so (a rerun, or the file agrees with what is recorded). */
  readonly unchanged: number;
  readonly rejected: readonly RejectedLine[];
  /** Whether the batch went in as one append (false: patient by patient, after a conflict). */
  readonly batched: boolean;
}

export interface PatientImportDeps {
  readonly store: EventStore;
  readonly commands: PatientCommands;
  readonly panels: PanelBook;
  readonly directory: PractitionerDirectory;
  readonly norms: PanelNorms;
  readonly clock: Clock;
  readonly identity: PatientIdentity;
}

/** A line that passed the checks, before its patient id is looked up (for the whole batch at once). */
interface Checked {
  readonly line: number;
  readonly nir: string;
  readonly profile: PatientProfile;
  readonly declaration: Omit<Declaration, 'attributionId'>;
  readonly normCapacity: number;
}

interface Accepted {
  readonly line: number;
  /** Normalised, to index the patient under the current NIR key once written. */
  readonly nir: string;
  readonly patientId: string;
  readonly profile: PatientProfile;
  readonly declaration: Declaration;
  readonly normCapacity: number;
}

/**
 * Onboards patients with their current médecin traitant, a batch of lines at a time, with the
 * API's checks and events: each line is validated as RegisterPatient and DeclareMedecinTraitant
 * are, the centre and GP as a declaration checks them, and each panel's capacity as it fills.
 *
 * A batch of new patients is decided in memory and written as one atomic append (every patient's
 * stream expected absent, every panel at the revision read). Event ids derive from the patient
 * (`import:<patientId>`), so a batch run again is an idempotent replay. When the append is
 * refused (a patient already exists, a panel moved, a batch cut differently on a rerun) the batch
 * goes patient by patient through the command handler, as the API writes, under the same names: what is
 * already recorded is left as it is, the rest is written. A bad line is reported with its number
 * and reason and the others go in.
 */
export class PatientImport {
  private readonly facts = new Map<string, Promise<GpFacts>>();

  constructor(private readonly deps: PatientImportDeps) {}

  async importBatch(lines: readonly ImportLine[], context: CommandContext = {}): Promise<ImportBatchOutcome> {
    const rejected: RejectedLine[] = [];
    const checked: Checked[] = [];
    for (const line of lines) {
      try {
        checked.push(await this.check(line));
      } catch (error) {
        rejected.push({ line: line.line, reason: reasonOf(error) });
      }
    }
    // The patients' ids in one look-up of the pseudonym index for the whole batch.
    const ids = await this.patientIdsOf(checked.map((c) => c.nir));
    const accepted: Accepted[] = [];
    const seen = new Map<string, number>();
    for (const [i, candidate] of checked.entries()) {
      const patientId = ids[i]!;
      const earlier = seen.get(patientId);
      if (earlier !== undefined) {
        rejected.push({ line: candidate.line, reason: reasonOf(ValidationError.field('nir', `the same patient as line ${earlier}`)) });
        continue;
      }
      seen.set(patientId, candidate.line);
      accepted.push({
        ...candidate,
        patientId,
        declaration: { ...candidate.declaration, attributionId: nameBasedUuid(`${importName(patientId)}:attribution`) },
      });
    }
    if (accepted.length === 0) return { imported: 0, unchanged: 0, rejected, batched: true };
    const batched = await this.appendAtOnce(accepted, rejected, context);
    if (batched) {
      await this.indexed(accepted);
      return { ...batched, rejected: sortByLine(rejected), batched: true };
    }
    const slow = await this.onePatientAtATime(accepted, rejected, context);
    await this.indexed(accepted);
    return { ...slow, rejected: sortByLine(rejected), batched: false };
  }

  /** The patients of the import indexed under the current NIR key (an entry already there stays). */
  private async indexed(accepted: readonly Accepted[]): Promise<void> {
    await this.deps.identity.registered?.(accepted.map((a) => ({ nir: a.nir, patientId: a.patientId })));
  }

  private async patientIdsOf(nirs: readonly string[]): Promise<string[]> {
    const { identity } = this.deps;
    if (nirs.length === 0) return [];
    if (identity.patientIdsOf) return identity.patientIdsOf(nirs);
    const ids: string[] = [];
    for (const nir of nirs) ids.push(await identity.patientIdOf(nir));
    return ids;
  }

  /** The line as RegisterPatient and DeclareMedecinTraitant would check it, and the GP as a declaration does. */
  private async check({ line, values: v }: ImportLine): Promise<Checked> {
    const day = today(this.deps.clock);
    const { nir, ...profile } = parseInput(registerPatientInput, {
      nir: v.nir,
      birthDate: v.birth_date,
      sex: v.sex,
      communeInsee: v.commune_insee,
      ald: periodsOf('ald', v.ald),
      c2s: periodsOf('c2s', v.c2s),
    });
    checkProfile(profile, day);
    checkAgainstNir(nir, profile);
    const command = parseInput(declareInput, {
      rpps: v.rpps,
      centreFiness: v.centre_finess,
      effectiveDate: v.effective_date ?? day,
      channel: v.channel ?? 'paper_form',
    });
    if (command.effectiveDate > day) throw ValidationError.field('effective_date', `must not be after today (${day}): a declaration takes effect once signed`);
    const facts = await this.factsFor(command.centreFiness, command.rpps);
    const centre = requireMemberCentre(facts.centre, command.centreFiness, command.effectiveDate);
    const assignment = requireAssignedGp(facts.assignments, command.rpps, centre.finess, command.effectiveDate, day);
    const declaration = {
      rpps: command.rpps,
      professionalId: assignment.professionalId,
      centreFiness: centre.finess,
      effectiveDate: command.effectiveDate,
      channel: command.channel,
    };
    return { line, nir, profile, declaration, normCapacity: gpCapacity(facts, day) };
  }

  /** One directory read per centre and GP for the whole import (the directory changes rarely; the append is the check that matters). */
  private factsFor(centreFiness: string, rpps: string): Promise<GpFacts> {
    const key = `${centreFiness}|${rpps}`;
    let facts = this.facts.get(key);
    if (!facts) {
      facts = readGpFacts(this.deps.directory, this.deps.norms, centreFiness, rpps);
      facts.catch(() => this.facts.delete(key));
      this.facts.set(key, facts);
    }
    return facts;
  }

  /** Every accepted line as a new patient, in one append; undefined when the store refuses it. */
  private async appendAtOnce(
    accepted: Accepted[],
    rejected: RejectedLine[],
    context: CommandContext,
  ): Promise<{ imported: number; unchanged: number } | undefined> {
    const panels = new Map<string, { state: PanelState; read: number; events: NewEvent[] }>();
    for (const rpps of new Set(accepted.map((a) => a.declaration.rpps))) {
      const loaded = this.deps.panels.known(rpps) ?? (await this.deps.panels.load(rpps));
      panels.set(rpps, { state: loaded.state, read: loaded.revision, events: [] });
    }
    const metadata = eventMetadata(context, this.deps.clock.now());
    const appends: StreamAppend[] = [];
    const written: Accepted[] = [];
    for (const a of accepted) {
      const panel = panels.get(a.declaration.rpps)!;
      let events: PatientEvent[];
      let joined: PanelEvent[];
      try {
        const registered = registerPatient(initialPatientState(), a.patientId, a.profile);
        events = [...registered, ...declare(registered.reduce(evolvePatient, initialPatientState()), a.patientId, a.declaration)];
        const d = a.declaration;
        joined = joinPanel(panel.state, d.rpps, panel.state.capacityOverride ?? a.normCapacity, {
          patientId: a.patientId,
          attributionId: d.attributionId,
          centreFiness: d.centreFiness,
          effectiveDate: d.effectiveDate,
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        rejected.push({ line: a.line, reason: reasonOf(error) });
        continue;
      }
      panel.state = joined.reduce(evolvePanel, panel.state);
      // Each patient's events are named as the command handler names them, so the slow path finds them.
      panel.events.push(...importEvents(panelStream(a.declaration.rpps), joined, metadata, importName(a.patientId)));
      appends.push({
        streamId: patientStream(a.patientId),
        expectedRevision: 'no_stream',
        events: importEvents(patientStream(a.patientId), events, metadata, importName(a.patientId)),
      });
      written.push(a);
    }
    if (appends.length === 0) return { imported: 0, unchanged: 0 };
    const panelAppends = [...panels].filter(([, p]) => p.events.length > 0);
    for (const [rpps, p] of panelAppends) {
      appends.push({ streamId: panelStream(rpps), expectedRevision: p.read === -1 ? 'no_stream' : p.read, events: p.events });
    }
    try {
      const result = await this.deps.store.appendMany(appends);
      if (result.idempotentReplay) return { imported: 0, unchanged: written.length };
      const revisions = result.streams.slice(written.length);
      panelAppends.forEach(([rpps, p], i) => this.deps.panels.wrote(rpps, p.read, { state: p.state, revision: revisions[i]!.nextExpectedRevision }));
      return { imported: written.length, unchanged: 0 };
    } catch (error) {
      if (error instanceof ConcurrencyError || error instanceof EventIdConflictError) {
        // Lines refused while deciding in memory are decided again on the slow path, on fresh panels.
        const retried = new Set(accepted.map((a) => a.line));
        rejected.splice(0, rejected.length, ...rejected.filter((r) => !retried.has(r.line)));
        return undefined;
      }
      throw error;
    }
  }

  /** Each line through the command handler, as the API writes: already registered patients keep their profile, and the same médecin traitant is left as it is. */
  private async onePatientAtATime(
    accepted: readonly Accepted[],
    rejected: RejectedLine[],
    context: CommandContext,
  ): Promise<{ imported: number; unchanged: number }> {
    let imported = 0;
    let unchanged = 0;
    // In file order, one at a time: the places left on a panel go to the first lines asking.
    for (const a of accepted) {
      try {
        const result = await this.deps.commands.handle(
          { type: 'ImportPatient', patientId: a.patientId, profile: a.profile, declaration: a.declaration, normCapacity: a.normCapacity },
          { context, idempotencyName: importName(a.patientId) },
        );
        if (!result.replayed && result.events.length + result.related.length > 0) imported++;
        else unchanged++;
      } catch (error) {
        if (!(error instanceof DomainError) || error instanceof ConcurrencyError) throw error;
        rejected.push({ line: a.line, reason: reasonOf(error) });
      }
    }
    return { imported, unchanged };
  }
}

/** The name of a patient's import: its events' ids derive from it. */
const importName = (patientId: string): string => `import:${patientId}`;

/**
 * A batch's events of one stream, with the ids the command handler gives a command of that name
 * (docs/adr/0021): the batch is the one append outside the handler, many patients at once.
 */
function importEvents(streamId: string, events: readonly { type: string; data: unknown }[], metadata: EventMetadata, name: string): NewEvent[] {
  const ids = commandEventIds(events.length, streamId, name);
  return events.map((event, i) => ({
    id: ids[i]!,
    type: event.type,
    schemaVersion: attributionEventSchemas.versionOf(event.type),
    data: event.data,
    metadata,
  }));
}

/**
 * Periods in one cell: `start/end` or `start/` (open), separated by `;`, e.g.
 * `2018-03-01/` or `2020-01-01/2021-01-01;2023-05-01/`. An empty cell is no period.
 */
export function periodsOf(column: string, cell: string | undefined): { start: string; end?: string }[] {
  if (cell === undefined || cell.trim() === '') return [];
  return cell.split(';').map((part, i) => {
    const [start, end, extra] = part.trim().split('/');
    if (!start || extra !== undefined)
      throw ValidationError.field(`${column}[${i}]`, `'${part.trim()}' is not a period: write start/end or start/ (dates YYYY-MM-DD)`);
    return { start, ...(end && { end }) };
  });
}

/** A line's reason: the fields and what is wrong with them, or the rule it breaks. */
function reasonOf(error: unknown): string {
  if (error instanceof ValidationError) return error.violations.map((v) => `${columnOf(v.field)}: ${v.description}`).join('; ');
  if (error instanceof DomainError) return error.message;
  throw error;
}

/** The file's column for a field of the API's input (`birthDate[0]` → `birth_date[0]`). */
function columnOf(field: string): string {
  return field.replace(/^[a-zA-Z]+/u, (name) => name.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`));
}

function sortByLine(lines: RejectedLine[]): RejectedLine[] {
  return lines.sort((a, b) => a.line - b.line);
}
