import { Metadata, status as Status } from '@grpc/grpc-js';
import { googleRpcStatus } from '@pcn/contracts';
import { DomainError, NotFoundError, PreconditionFailedError, ProjectionTimeoutError, ValidationError } from '@pcn/eventsourcing';
import { parseGrpcErrorDetails } from './parse-grpc-error-details';
import { STATUS_DETAILS_KEY } from './status-details';
import { toGrpcError } from './to-grpc-error';

describe('toGrpcError', () => {
  it('puts a google.rpc.Status with the same code and message in grpc-status-details-bin', () => {
    const error = toGrpcError(ValidationError.field('finess', 'must be 9 characters'));
    const raw = error.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer;
    const status = googleRpcStatus.Status.decode(raw);
    expect(status.code).toBe(Status.INVALID_ARGUMENT);
    expect(status.message).toBe('invalid finess: must be 9 characters');
    expect(status.details.map((detail) => detail.typeUrl)).toEqual(['type.googleapis.com/google.rpc.ErrorInfo', 'type.googleapis.com/google.rpc.BadRequest']);
  });

  it.each([
    ['an Error', new Error('secret detail')],
    ['a string', 'secret detail'],
    ['undefined', undefined],
  ])('maps %s to INTERNAL with a generic message', (_label, thrown) => {
    const error = toGrpcError(thrown);
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toBe('internal error');
    expect(error.metadata.get(STATUS_DETAILS_KEY)[0]!.toString('latin1')).not.toContain('secret');
  });

  it('maps a domain error of a kind it does not know to INTERNAL rather than guessing', () => {
    class FutureError extends DomainError {
      readonly kind = 'rate_limited' as never;
    }
    expect(toGrpcError(new FutureError('slow down')).code).toBe(Status.INTERNAL);
  });

  it('maps a read model that lags to UNAVAILABLE with a RetryInfo and the positions, not to INTERNAL', () => {
    const details = parseGrpcErrorDetails(toGrpcError(new ProjectionTimeoutError('attribution', 42, 40)));
    expect(details).toMatchObject({
      code: Status.UNAVAILABLE,
      message: 'projection attribution reached position 40, not 42, in time',
      retryDelayMs: 1000,
      errorInfo: { reason: 'READ_MODEL_BEHIND', domain: 'pcn', metadata: { projection: 'attribution', wanted_position: '42', reached_position: '40' } },
    });
  });

  it('carries the figures of a refused precondition in the ErrorInfo metadata', () => {
    const refusal = new PreconditionFailedError('the panel is full', [{ type: 'PANEL_CAPACITY', subject: 'rpps', description: 'count 3, capacity 3' }], {
      count: 3,
      capacity: 3,
    });
    const details = parseGrpcErrorDetails(toGrpcError(refusal));
    expect(details.code).toBe(Status.FAILED_PRECONDITION);
    expect(details.errorInfo).toEqual({ reason: 'FAILED_PRECONDITION', domain: 'pcn', metadata: { count: '3', capacity: '3' } });
    expect(details.preconditionViolations).toEqual([{ type: 'PANEL_CAPACITY', subject: 'rpps', description: 'count 3, capacity 3' }]);
  });

  it('round-trips through parseGrpcErrorDetails', () => {
    const details = parseGrpcErrorDetails(toGrpcError(new NotFoundError('centre', '750000001')));
    expect(details).toMatchObject({
      code: Status.NOT_FOUND,
      message: 'centre 750000001 not found',
      fieldViolations: [],
      preconditionViolations: [],
      resourceInfo: { resourceType: 'centre', resourceName: '750000001' },
      errorInfo: { reason: 'NOT_FOUND', domain: 'pcn' },
    });
  });
});

describe('parseGrpcErrorDetails', () => {
  it('keeps the plain message of an error without details', () => {
    const details = parseGrpcErrorDetails({ code: Status.UNAVAILABLE, details: 'No connection established', metadata: new Metadata() });
    expect(details).toEqual({
      code: Status.UNAVAILABLE,
      message: 'No connection established',
      fieldViolations: [],
      preconditionViolations: [],
      errorInfo: undefined,
      resourceInfo: undefined,
      retryDelayMs: undefined,
    });
  });
});
