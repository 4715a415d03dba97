/** Levels a scheme can be drafted for. */
export const SCHEME_LEVELS = ['departement', 'region', 'nation'] as const;
export type SchemeLevel = (typeof SCHEME_LEVELS)[number];

/** Consultation stages, bottom up. */
export const STAGES = ['local', 'departemental', 'regional', 'national'] as const;
export type Stage = (typeof STAGES)[number];

/** The three colleges heard at every stage. */
export const COLLEGES = ['users', 'elected-officials', 'professionals'] as const;
export type College = (typeof COLLEGES)[number];

export const VOTES = ['favourable', 'unfavourable', 'abstention'] as const;
export type Vote = (typeof VOTES)[number];

const LAST_STAGE: Record<SchemeLevel, Stage> = { departement: 'departemental', region: 'regional', nation: 'national' };

/** The stages of a scheme: from local up to its own level (a département's scheme stops at the départemental stage). */
export function stagesFor(level: SchemeLevel): readonly Stage[] {
  return STAGES.slice(0, STAGES.indexOf(LAST_STAGE[level]) + 1);
}

export interface Opinion {
  readonly college: College;
  /** Who speaks: a person or a body of the college, as the stage's secretariat records it. */
  readonly participant: string;
  readonly vote: Vote;
  readonly opinion: string;
}

export interface CollegeTally {
  readonly college: College;
  readonly favourable: number;
  readonly unfavourable: number;
  readonly abstention: number;
  /** More than half of the opinions given in the college are favourable. */
  readonly approves: boolean;
}

/**
 * Each college's count, from the last opinion of each participant. A college approves when more
 * than half of its opinions are favourable (an abstention counts as not favourable); a college
 * that gave no opinion does not approve.
 */
export function tally(opinions: readonly Opinion[]): CollegeTally[] {
  return COLLEGES.map((college) => {
    const given = opinions.filter((opinion) => opinion.college === college);
    const count = (vote: Vote) => given.filter((opinion) => opinion.vote === vote).length;
    const favourable = count('favourable');
    return { college, favourable, unfavourable: count('unfavourable'), abstention: count('abstention'), approves: favourable * 2 > given.length };
  });
}
