import type { ServiceDefinition } from '@grpc/grpc-js';
import { createFileRegistry, fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { fileDescriptorSet } from '@pcn/contracts';

/** A unary method of a served gRPC service, with the descriptor of its request message. */
export interface GrpcMethod {
  /** `/pcn.registry.v1.CentreRegistry/RegisterCentre` */
  readonly path: string;
  readonly input: DescMessage;
}

/** Every method of the served services, read from their definitions and the contracts' descriptors. */
export function grpcMethods(definitions: readonly ServiceDefinition[]): GrpcMethod[] {
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, fileDescriptorSet()));
  return definitions.flatMap((definition) =>
    Object.values(definition).map((method) => {
      const [, service, name] = /^\/([^/]+)\/([^/]+)$/.exec(method.path) ?? [];
      const input = registry.getService(service ?? '')?.methods.find((m) => m.name === name)?.input;
      if (!input) throw new Error(`no descriptor for ${method.path}: is proto/ generated?`);
      return { path: method.path, input };
    }),
  );
}
