import { staffV1 as pb } from '@pcn/contracts';
import { commandContextOf as commandContext, unaryService, type CallContext, type UnaryOptions } from '@pcn/grpc';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { StaffServices } from '../../application/staff-services';
import type { WriteOptions } from '../../application/write-options';
import { asIndexPointCall, indexPointInput, payGridInput, toIndexPointMessage, toPayGridMessage } from './pay-grid-messages';
import { text } from '@pcn/grpc';
import { gridKind } from './proto-mapping';
import {
  assignInput,
  cancelVacancyInput,
  decideMobilityInput,
  endAssignmentInput,
  giveOpinionInput,
  hireInput,
  listVacanciesInput,
  postVacancyInput,
  promoteInput,
  recordExitInput,
  requestMobilityInput,
  teamInput,
  toMobilityMessage,
  toPayMessage,
  toProfessionalMessage,
  toTeamResponse,
  toVacancyMessage,
  withdrawMobilityInput,
} from './staff-messages';

/** A stated version is checked (ABORTED when stale); without one the command is decided on the latest state. */
function writeOptions(req: { expectedVersion?: number | undefined }, ctx: CallContext): WriteOptions {
  return { ...(req.expectedVersion !== undefined && { expectedVersion: req.expectedVersion }), context: commandContext(ctx) };
}

/** `pcn.staff.v1.StaffStatute` over the application services. */
export function staffStatuteGrpc(services: StaffServices, options: UnaryOptions): UntypedServiceImplementation {
  const { statute, careers, vacancies, mobilities, teams } = services;
  return unaryService(
    pb.StaffStatuteService,
    {
      publishPayGrid: async (req, ctx) => toPayGridMessage(await statute.publishGrid(payGridInput(req.grid), commandContext(ctx))),
      getPayGrid: async (req) => {
        const on = text(req.on);
        const grid = await statute.gridOn(gridKind(req.kind), on);
        return toPayGridMessage(grid, grid.kind === 'fph' ? await statute.indexPointOn(on) : undefined);
      },
      publishIndexPointValue: async (req, ctx) =>
        toIndexPointMessage(await asIndexPointCall(() => statute.publishIndexPointValue(indexPointInput(req.value), commandContext(ctx)))),

      hireProfessional: async (req, ctx) => toProfessionalMessage(await careers.hire(hireInput(req), commandContext(ctx))),
      getProfessional: async (req) => toProfessionalMessage(await careers.get(req.professionalId, text(req.asOf))),
      computePay: async (req) => toPayMessage(await careers.computePay(req.professionalId, text(req.on))),
      assignToCentre: async (req, ctx) =>
        toProfessionalMessage((await careers.assign(req.professionalId, assignInput(req), writeOptions(req, ctx))).professional),
      endAssignment: async (req, ctx) =>
        toProfessionalMessage(await careers.endAssignment(req.professionalId, endAssignmentInput(req), writeOptions(req, ctx))),
      promoteProfessional: async (req, ctx) => toProfessionalMessage(await careers.promote(req.professionalId, promoteInput(req), writeOptions(req, ctx))),
      recordExit: async (req, ctx) => toProfessionalMessage(await careers.recordExit(req.professionalId, recordExitInput(req), writeOptions(req, ctx))),

      postVacancy: async (req, ctx) => toVacancyMessage(await vacancies.post(postVacancyInput(req), commandContext(ctx))),
      getVacancy: async (req) => toVacancyMessage(await vacancies.get(req.vacancyId)),
      cancelVacancy: async (req, ctx) => toVacancyMessage(await vacancies.cancel(req.vacancyId, cancelVacancyInput(req), writeOptions(req, ctx))),
      listVacancies: async (req) => {
        const page = await vacancies.list(listVacanciesInput(req));
        return pb.ListVacanciesResponse.fromPartial({
          vacancies: page.vacancies.map(toVacancyMessage),
          nextPageToken: page.nextPageToken ?? '',
          totalSize: page.totalSize,
        });
      },

      requestMobility: async (req, ctx) => toMobilityMessage(await mobilities.request(requestMobilityInput(req), commandContext(ctx))),
      giveMobilityOpinion: async (req, ctx) => toMobilityMessage(await mobilities.giveOpinion(req.mobilityId, giveOpinionInput(req), writeOptions(req, ctx))),
      decideMobility: async (req, ctx) => toMobilityMessage(await mobilities.decide(req.mobilityId, decideMobilityInput(req), writeOptions(req, ctx))),
      getMobility: async (req) => toMobilityMessage(await mobilities.get(req.mobilityId)),
      // The caller's actor is who withdraws: the application lets only the professional do it.
      withdrawMobility: async (req, ctx) => toMobilityMessage(await mobilities.withdraw(req.mobilityId, withdrawMobilityInput(req), writeOptions(req, ctx))),

      listCentreTeam: async (req) => toTeamResponse(await teams.team(req.centreFiness, teamInput(req))),
    },
    options,
  );
}
