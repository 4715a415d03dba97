import { registryV1 as pb } from '@pcn/contracts';
import type { CentreView } from '../../application/centre-view';
import type { HistoryEntry } from '@pcn/eventsourcing';
import { compact, fromProtoEnum, toProtoEnum } from '@pcn/grpc';

const managerKind = (v: number | undefined) => fromProtoEnum(pb.ManagerKind, 'MANAGER_KIND_', v);
const centreType = (v: number | undefined) => fromProtoEnum(pb.CentreType, 'CENTRE_TYPE_', v);
const axis = (v: number) => fromProtoEnum(pb.HealthProjectAxis, 'HEALTH_PROJECT_AXIS_', v);
const service = (v: number) => fromProtoEnum(pb.CentreServiceKind, 'CENTRE_SERVICE_KIND_', v);
export const centreStatus = (v: number | undefined) => fromProtoEnum(pb.CentreStatus, 'CENTRE_STATUS_', v);

const manager = (m: pb.Manager | undefined) => m && compact({ kind: managerKind(m.kind), name: m.name, siren: m.siren });
const address = (a: pb.Address | undefined) =>
  a && compact({ line1: a.line1, line2: a.line2 === '' ? undefined : a.line2, postalCode: a.postalCode, city: a.city });
const healthProject = (h: pb.HealthProject | undefined) => h && { adoptedOn: h.adoptedOn, axes: h.axes.map(axis) };

type DetailFields = Pick<
  pb.RegisterCentreRequest | pb.AmendCentreRequest,
  'name' | 'manager' | 'communeInsee' | 'address' | 'coordinates' | 'commitments' | 'governance' | 'healthProject' | 'secpaParticipation'
>;

/** The descriptive fields registration and amendment share, mapped the same way. */
function detailFields(req: DetailFields): Record<string, unknown> {
  return {
    name: req.name,
    manager: manager(req.manager),
    communeInsee: req.communeInsee,
    address: address(req.address),
    coordinates: req.coordinates,
    commitments: req.commitments,
    governance: req.governance,
    healthProject: healthProject(req.healthProject),
    secpaParticipation: req.secpaParticipation,
  };
}

/** A gRPC request becomes the same plain input the REST API receives; validation is shared. */
export function registerInput(req: pb.RegisterCentreRequest): Record<string, unknown> {
  return compact({ finess: req.finess, ...detailFields(req), type: centreType(req.type), services: req.services.map(service) });
}

export function amendInput(req: pb.AmendCentreRequest): Record<string, unknown> {
  return compact({
    ...detailFields(req),
    type: req.type === undefined ? undefined : centreType(req.type),
    services: req.services?.services.map(service),
  });
}

export function listInput(req: pb.ListCentresRequest): Record<string, unknown> {
  return compact({
    departement: req.departement || undefined,
    region: req.region || undefined,
    status: centreStatus(req.status),
    type: centreType(req.type),
    pageSize: req.pageSize || undefined,
    pageToken: req.pageToken || undefined,
  });
}

export function toCentreMessage(view: CentreView): pb.Centre {
  return pb.Centre.fromPartial({
    finess: view.finess,
    name: view.name,
    manager: {
      kind: toProtoEnum(pb.ManagerKind, 'MANAGER_KIND_', view.manager.kind),
      name: view.manager.name,
      ...(view.manager.siren && { siren: view.manager.siren }),
    },
    type: toProtoEnum(pb.CentreType, 'CENTRE_TYPE_', view.type),
    communeInsee: view.communeInsee,
    communeName: view.communeName,
    departement: view.departement,
    region: view.region,
    address: { ...view.address, line2: view.address.line2 ?? '' },
    coordinates: view.coordinates,
    commitments: view.commitments,
    governance: view.governance,
    ...(view.healthProject && {
      healthProject: {
        adoptedOn: view.healthProject.adoptedOn,
        axes: view.healthProject.axes.map((a) => toProtoEnum(pb.HealthProjectAxis, 'HEALTH_PROJECT_AXIS_', a)),
      },
    }),
    services: view.services.map((s) => toProtoEnum(pb.CentreServiceKind, 'CENTRE_SERVICE_KIND_', s)),
    secpaParticipation: view.secpaParticipation,
    status: toProtoEnum(pb.CentreStatus, 'CENTRE_STATUS_', view.status),
    suspensionReason: view.suspensionReason ?? '',
    accreditedOn: view.accreditedOn ?? '',
    ...(view.closure && { closure: view.closure }),
    version: view.version,
    registeredAt: new Date(view.registeredAt),
    updatedAt: new Date(view.updatedAt),
  });
}

export function toHistoryEntry(entry: HistoryEntry): pb.CentreHistoryEntry {
  return pb.CentreHistoryEntry.fromPartial({
    version: entry.version,
    type: entry.type,
    occurredAt: new Date(entry.occurredAt),
    recordedAt: new Date(entry.recordedAt),
    actor: entry.actor ?? '',
    dataJson: JSON.stringify(entry.data),
  });
}
