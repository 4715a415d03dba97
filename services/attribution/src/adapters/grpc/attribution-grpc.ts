import { attributionV1 as pb } from '@pcn/contracts';
import { commandContextOf as commandContext, unaryService, type CallContext, type UnaryOptions } from '@pcn/grpc';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { AttributionServices } from '../../application/attribution-services';
import {
  confirmInput,
  coverageInput,
  declareInput,
  declineInput,
  endInput,
  enrolInput,
  matchInput,
  panelInput,
  patientRef,
  registerInput,
  rosterInput,
  setCapacityInput,
  toAttributionHistory,
  toCoverageMessage,
  toMatchResponse,
  toPanelMessage,
  toPatientMessage,
  toRosterMessage,
  updateInput,
} from './attribution-messages';
import { actingOf } from '../acting';

/** Who acts, for the scope checks the application makes with its data (a centre: on its own patients). */
const acting = (ctx: CallContext) => actingOf(ctx.grant?.identity);

/**
 * `pcn.attribution.v1.Attribution` over the application services. Patients are named by NIR or
 * pseudonymous id (`PatientRef`); the NIR is hashed by the application and never answered back.
 * Writes carry the caller's actor, idempotency key and trace (`commandContextOf`).
 */
export function attributionGrpcService(services: AttributionServices, options: UnaryOptions): UntypedServiceImplementation {
  const { patients, attributions, panels, waitlist, reports, erasure } = services;
  return unaryService(
    pb.AttributionService,
    {
      registerPatient: async (req, ctx) => toPatientMessage(await patients.register(registerInput(req), commandContext(ctx))),
      updatePatient: async (req, ctx) =>
        toPatientMessage(
          await patients.update(patientRef(req.patient), updateInput(req), {
            ...(req.expectedVersion !== undefined && { expectedVersion: req.expectedVersion }),
            context: commandContext(ctx),
          }),
        ),
      getPatient: async (req, ctx) => toPatientMessage(await patients.get(patientRef(req.patient), acting(ctx))),

      declareMedecinTraitant: async (req, ctx) => toPatientMessage(await attributions.declare(patientRef(req.patient), declareInput(req), commandContext(ctx))),
      endAttribution: async (req, ctx) => toPatientMessage(await attributions.end(patientRef(req.patient), endInput(req), commandContext(ctx), acting(ctx))),
      getAttribution: async (req, ctx) => toAttributionHistory(await attributions.history(patientRef(req.patient), acting(ctx))),

      getPanel: async (req) => toPanelMessage(await panels.get(panelInput(req))),
      setPanelCapacity: async (req, ctx) => toPanelMessage(await panels.setCapacity(setCapacityInput(req), commandContext(ctx))),
      getCentreRoster: async (req) => toRosterMessage(await reports.roster(rosterInput(req))),

      enrolOnWaitlist: async (req, ctx) => toPatientMessage(await waitlist.enrol(patientRef(req.patient), enrolInput(req), commandContext(ctx))),
      matchWaitlist: async (req, ctx) => toMatchResponse(await waitlist.match(matchInput(req), commandContext(ctx))),
      confirmProposal: async (req, ctx) => toPatientMessage(await waitlist.confirm(confirmInput(req), commandContext(ctx), acting(ctx))),
      declineProposal: async (req, ctx) => toPatientMessage(await waitlist.decline(declineInput(req), commandContext(ctx), acting(ctx))),

      getCoverage: async (req) => toCoverageMessage(await reports.coverage(coverageInput(req))),

      erasePatient: async (req, ctx) => {
        const erased = await erasure.erase(patientRef(req.patient), commandContext(ctx));
        return { patientId: erased.patientId, erasedOn: erased.erasedOn, endedAttributionId: erased.endedAttributionId ?? '' };
      },
    },
    options,
  );
}
