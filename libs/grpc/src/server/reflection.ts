import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { basename, dirname } from 'node:path';

export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

/**
 * Server reflection over the given descriptor set (normally every contract of @pcn/contracts)
 * plus the health service, listing only `services`: the set describes every contract of the
 * backbone, and a process must not advertise services that another process serves.
 */
export function createReflectionService(descriptorSet: Buffer, services: readonly string[]): ReflectionService {
  // Loaded relative to its proto root so reflection does not reveal a path of this machine.
  const healthRoot = dirname(dirname(dirname(healthProtoPath)));
  const health = protoLoader.loadSync(`health/v1/${basename(healthProtoPath)}`, { includeDirs: [healthRoot] });

  const contracts = protoLoader.loadFileDescriptorSetFromBuffer(descriptorSet);
  // proto-loader rebuilds each file's descriptor from protobufjs and loses its `dependency`
  // list, so clients such as grpcurl could not resolve imported types (google.protobuf.Timestamp).
  // The reflection service reads only `fileDescriptorProtos`: give it the files as buf built them.
  const files = fileDescriptorProtos(descriptorSet);
  for (const definition of Object.values(contracts)) {
    if ('fileDescriptorProtos' in definition) definition.fileDescriptorProtos = files;
  }
  return new ReflectionService({ ...health, ...contracts }, { services: [...services, HEALTH_SERVICE_NAME] });
}

/** The serialized FileDescriptorProto of each file of a FileDescriptorSet (field 1, `file`). */
export function fileDescriptorProtos(descriptorSet: Uint8Array): Buffer[] {
  const reader = new BinaryReader(descriptorSet);
  const files: Buffer[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) files.push(Buffer.from(reader.bytes()));
    else reader.skip(wireType, field);
  }
  return files;
}
