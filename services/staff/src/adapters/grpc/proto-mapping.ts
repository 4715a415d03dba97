import { staffV1 as pb } from '@pcn/contracts';
import { fromProtoEnum } from '@pcn/grpc';

export const gridKind = (v: number | undefined) => fromProtoEnum(pb.GridKind, 'GRID_KIND_', v);
