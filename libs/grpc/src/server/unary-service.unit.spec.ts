import type { ServiceDefinition } from '@grpc/grpc-js';
import { testingV1 } from '@pcn/contracts';
import pino from 'pino';
import { Registry } from 'prom-client';
import { unaryService } from './unary-service';

const options = { logger: pino({ level: 'silent' }), registry: new Registry() };

describe('unaryService', () => {
  it('wraps every method of a generated definition', () => {
    const implementation = unaryService(
      testingV1.EchoService,
      { echo: async (request, ctx) => ({ message: request.message, actor: ctx.actor, traceId: '' }) },
      options,
    );
    expect(Object.keys(implementation)).toEqual(['echo']);
    expect(typeof implementation.echo).toBe('function');
  });

  it('refuses a streaming method', () => {
    const streaming = {
      watch: { ...testingV1.EchoService.echo, path: '/pcn.testing.v1.Echo/Watch', responseStream: true },
    } as unknown as ServiceDefinition;
    expect(() => unaryService(streaming, { watch: async () => ({}) } as never, options)).toThrow('/pcn.testing.v1.Echo/Watch is a streaming method');
  });
});
