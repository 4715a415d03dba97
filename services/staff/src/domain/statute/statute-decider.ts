import { AlreadyExistsError, type Decider } from '@pcn/eventsourcing';
import { isDeepStrictEqual } from 'node:util';
import { withCarriedGrades } from './carry-forward';
import type { IndexPointValue } from './index-point';
import type { PayGridVersion } from './pay-grid';
import { assertPublishable, indexPointValueValidation } from './publish-validation';
import { EMPTY_STATUTE, type Statute } from './statute';
import { UnpublishableGridError } from './statute-errors';
import { versionDifferences } from './version-differences';

/**
 * The statute as an aggregate (one stream): every grid version and index-point value ever
 * published, in publication order. Publishing is append-only: a decree that changes a grid is a
 * new version effective from its date; nothing published is ever edited, so pay on a past date
 * can always be recomputed.
 *
 * Publishing again exactly what is already published records nothing: the service republishes
 * the grids it ships at every start, and a coordinator's retried call is harmless. The same id
 * with different content is refused.
 */
export type StatuteCommand =
  | { readonly type: 'PublishGridVersion'; readonly version: PayGridVersion; readonly publishedBy: string }
  | { readonly type: 'PublishIndexPointValue'; readonly value: IndexPointValue; readonly publishedBy: string };

export type StatuteEvent =
  | { readonly type: 'PayGridPublished'; readonly data: { readonly version: PayGridVersion; readonly publishedBy: string } }
  | { readonly type: 'IndexPointValuePublished'; readonly data: { readonly value: IndexPointValue; readonly publishedBy: string } };

export const STATUTE_STREAM = 'statute';

/** "content at grades.ph.label, sources[0].url": at most five paths, then how many more. */
function describe(differences: readonly string[]): string {
  const shown = differences.slice(0, 5).join(', ');
  return `content at ${shown}${differences.length > 5 ? ` and ${differences.length - 5} more` : ''}`;
}

export const statuteDecider: Decider<StatuteCommand, Statute, StatuteEvent> = {
  initialState: () => EMPTY_STATUTE,

  decide(command, statute): StatuteEvent[] {
    switch (command.type) {
      case 'PublishGridVersion': {
        const version = withCarriedGrades(command.version, statute);
        const same = statute.gridVersions.find((v) => v.id === version.id);
        if (same) {
          const differences = versionDifferences(same, version);
          if (differences.length === 0) return [];
          throw new AlreadyExistsError('pay grid version', `${version.id} (published with different ${describe(differences)}: publish a new version instead)`);
        }
        assertPublishable(version, statute);
        return [{ type: 'PayGridPublished', data: { version, publishedBy: command.publishedBy } }];
      }
      case 'PublishIndexPointValue': {
        const same = statute.indexPointValues.find((v) => v.effectiveFrom === command.value.effectiveFrom);
        if (same && isDeepStrictEqual(same, command.value)) return [];
        const violations = indexPointValueValidation(command.value, statute);
        if (violations.length > 0) throw new UnpublishableGridError(violations);
        return [{ type: 'IndexPointValuePublished', data: { value: command.value, publishedBy: command.publishedBy } }];
      }
    }
  },

  evolve(statute, event): Statute {
    switch (event.type) {
      case 'PayGridPublished':
        return { ...statute, gridVersions: [...statute.gridVersions, event.data.version] };
      case 'IndexPointValuePublished':
        return { ...statute, indexPointValues: [...statute.indexPointValues, event.data.value] };
    }
  },
};
