import { registryV1 as pb } from '@pcn/contracts';
import { commandContextOf as commandContext, unaryService, type CallContext, type UnaryOptions } from '@pcn/grpc';
import { ValidationError } from '@pcn/eventsourcing';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CentreRegistry, WriteOptions } from '../../application/centre-registry';
import { amendInput, listInput, registerInput, toCentreMessage, toHistoryEntry } from './centre-messages';

/** Writes must say which version they are based on: absence is an error, not "any". */
function writeOptions(req: { expectedVersion?: number | undefined }, ctx: CallContext): WriteOptions {
  if (req.expectedVersion === undefined) {
    throw ValidationError.field('expectedVersion', 'is required: send the version of the centre you last read');
  }
  return { expectedVersion: req.expectedVersion, context: commandContext(ctx) };
}

/** `pcn.registry.v1.CentreRegistry` over the application service. */
export function centreRegistryGrpc(registry: CentreRegistry, options: UnaryOptions): UntypedServiceImplementation {
  return unaryService(
    pb.CentreRegistryService,
    {
      registerCentre: async (req, ctx) => toCentreMessage(await registry.register(registerInput(req), commandContext(ctx))),
      getCentre: async (req) => toCentreMessage(await registry.get(req.finess, req.asOf?.toISOString(), req.on === '' ? undefined : req.on)),
      listCentres: async (req) => {
        const page = await registry.list(listInput(req));
        return pb.ListCentresResponse.fromPartial({
          centres: page.centres.map(toCentreMessage),
          nextPageToken: page.nextPageToken ?? '',
          totalSize: page.totalSize,
        });
      },
      amendCentre: async (req, ctx) => toCentreMessage(await registry.amend(req.finess, amendInput(req), writeOptions(req, ctx))),
      accreditCentre: async (req, ctx) => toCentreMessage(await registry.accredit(req.finess, { accreditedOn: req.accreditedOn }, writeOptions(req, ctx))),
      suspendCentre: async (req, ctx) => toCentreMessage(await registry.suspend(req.finess, { reason: req.reason }, writeOptions(req, ctx))),
      reinstateCentre: async (req, ctx) => toCentreMessage(await registry.reinstate(req.finess, {}, writeOptions(req, ctx))),
      closeCentre: async (req, ctx) =>
        toCentreMessage(await registry.close(req.finess, { effectiveDate: req.effectiveDate, reason: req.reason }, writeOptions(req, ctx))),
      getCentreHistory: async (req) => pb.GetCentreHistoryResponse.fromPartial({ entries: (await registry.history(req.finess)).map(toHistoryEntry) }),
    },
    options,
  );
}
