/** The parts of a gRPC method path (`/pcn.registry.v1.CentreRegistry/GetCentre`). */
export interface MethodName {
  /** Fully-qualified service name, e.g. `pcn.registry.v1.CentreRegistry`. */
  readonly service: string;
  /** Method name as in the .proto file, e.g. `GetCentre`. */
  readonly method: string;
}

export function parseMethodPath(path: string): MethodName {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  // grpc-js only routes well-formed paths to handlers; keep something readable otherwise.
  if (!match) return { service: 'unknown', method: path };
  return { service: match[1]!, method: match[2]! };
}
