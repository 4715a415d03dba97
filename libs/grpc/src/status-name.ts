import { status as Status } from '@grpc/grpc-js';

/** `INVALID_ARGUMENT` for 3: the form used in metric labels and logs, as other gRPC stacks do. */
export function statusName(code: Status): string {
  return Status[code] ?? `CODE_${code}`;
}
