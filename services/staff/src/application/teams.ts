import { NotFoundError, ValidationError } from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import { positionOn } from '../domain/professional/career';
import { computePay, type Pay } from '../domain/statute/compute-pay';
import { assignmentsOn } from '../domain/professional/professional-state';
import type { Profession } from '../domain/professional/profession';
import type { IsoDate } from '@pcn/time';
import { today, type CentreDirectory, type Clock, type IdentifierCheck } from './ports';
import { everyProfessional, type StaffReadModel } from './read-model';
import { onDateInput, teamInput } from './schemas';
import type { StatuteBook } from './statute-book';
import { fteText, identityView, type TeamPage } from './views';

/** One grid position (grade, échelon, FTE, grid version) and what it is paid across the network. */
export interface PayEquityRow {
  readonly gridVersion: string;
  readonly grade: string;
  readonly echelon: number;
  readonly fte: string;
  readonly posts: number;
  readonly centres: number;
  readonly professions: readonly Profession[];
  readonly minAnnualGrossCents: number;
  readonly maxAnnualGrossCents: number;
  /** Every distinct amount paid for this position: more than one is a defect. */
  readonly distinctAnnualGrossCents: readonly number[];
  readonly defect: boolean;
}

export interface PayEquityReport {
  readonly on: IsoDate;
  readonly posts: number;
  readonly positions: number;
  readonly defects: number;
  readonly rows: readonly PayEquityRow[];
  /** Posts whose pay could not be computed (no grid in force for the grade that day, say). */
  readonly uncomputed: readonly { readonly professionalId: string; readonly assignmentId: string; readonly error: string }[];
}

/** Queries across professionals: a centre's team on a day, and the pay equity report. */
export class Teams {
  constructor(
    private readonly deps: {
      readonly readModel: StaffReadModel;
      readonly statute: StatuteBook;
      readonly centres: CentreDirectory;
      readonly checkFiness: IdentifierCheck;
      readonly clock: Clock;
    },
  ) {}

  async team(centreFinessRaw: string, input: unknown): Promise<TeamPage> {
    const checked = this.deps.checkFiness(centreFinessRaw ?? '');
    if (!checked.ok) throw ValidationError.field('centreFiness', checked.reason);
    const parsed = parseInput(teamInput, input ?? {});
    // A centre no registry event named has no team to list: an empty one would read as "nobody works there".
    if (!(await this.deps.centres.get(checked.value))) {
      throw new NotFoundError('centre', `${checked.value} (no registry event about it has reached the staff service)`);
    }
    const on = parsed.on ?? today(this.deps.clock);
    const [slice, statute] = await Promise.all([
      this.deps.readModel.team(checked.value, on, { size: parsed.pageSize, ...(parsed.pageToken && { token: parsed.pageToken }) }),
      this.deps.statute.current(),
    ]);
    return {
      centreFiness: checked.value,
      on,
      members: slice.rows.map(({ professional: p, assignment: a }) => {
        const position = positionOn(p, statute, on);
        return {
          ...identityView(p),
          grade: position?.grade ?? p.grade,
          echelon: position?.echelon ?? p.echelon,
          assignmentId: a.assignmentId,
          fte: fteText(a.fte),
          kind: a.kind,
          startOn: a.startOn,
          ...(a.endOn && { endOn: a.endOn }),
        };
      }),
      totalSize: slice.totalSize,
      totalFte: fteText(slice.totalFte),
      ...(slice.nextPageToken && { nextPageToken: slice.nextPageToken }),
    };
  }

  /**
   * Pay equity on a day: every post worked that day, its pay computed independently from the
   * statute, grouped by grid position. Equal positions must be paid the same in every centre
   * and profession; a position with two amounts is a defect, reported as such.
   */
  async payEquity(input: unknown): Promise<PayEquityReport> {
    const on = parseInput(onDateInput, input ?? {}).on ?? today(this.deps.clock);
    const statute = await this.deps.statute.current();
    const groups = new Map<
      string,
      {
        key: Omit<PayEquityRow, 'posts' | 'centres' | 'professions' | 'minAnnualGrossCents' | 'maxAnnualGrossCents' | 'distinctAnnualGrossCents' | 'defect'>;
        pays: number[];
        centres: Set<string>;
        professions: Set<Profession>;
      }
    >();
    const uncomputed: { professionalId: string; assignmentId: string; error: string }[] = [];
    let posts = 0;
    for await (const p of everyProfessional(this.deps.readModel)) {
      if (p.exitOn !== undefined && p.exitOn <= on) continue;
      for (const a of assignmentsOn(p, on)) {
        posts++;
        let pay: Pay;
        try {
          const position = positionOn(p, statute, on);
          if (!position) continue;
          pay = computePay({ statute, grade: position.grade, echelon: position.echelon, fte: a.fte / 10_000, date: on });
        } catch (error) {
          uncomputed.push({ professionalId: p.professionalId, assignmentId: a.assignmentId, error: (error as Error).message });
          continue;
        }
        const id = `${pay.gridVersion.id}|${pay.grade}|${pay.echelon}|${a.fte}`;
        const group = groups.get(id) ?? {
          key: { gridVersion: pay.gridVersion.id, grade: pay.grade, echelon: pay.echelon, fte: fteText(a.fte) },
          pays: [],
          centres: new Set(),
          professions: new Set(),
        };
        group.pays.push(pay.annualGrossCents);
        group.centres.add(a.centreFiness);
        group.professions.add(p.profession);
        groups.set(id, group);
      }
    }
    const rows = [...groups.values()]
      .map((g): PayEquityRow => {
        const distinct = [...new Set(g.pays)].sort((x, y) => x - y);
        return {
          ...g.key,
          posts: g.pays.length,
          centres: g.centres.size,
          professions: [...g.professions].sort(),
          minAnnualGrossCents: distinct[0]!,
          maxAnnualGrossCents: distinct[distinct.length - 1]!,
          distinctAnnualGrossCents: distinct,
          defect: distinct.length > 1,
        };
      })
      .sort((x, y) => (x.grade < y.grade ? -1 : x.grade > y.grade ? 1 : x.echelon - y.echelon || Number(x.fte) - Number(y.fte)));
    return { on, posts, positions: rows.length, defects: rows.filter((r) => r.defect).length, rows, uncomputed };
  }
}
