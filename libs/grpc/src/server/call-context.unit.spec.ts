import { Metadata } from '@grpc/grpc-js';
import { actorOf, deadlineOf } from './call-context';
import { parseMethodPath } from './method-path';

describe('call context helpers', () => {
  it('reads the actor from x-pcn-actor and falls back to anonymous when absent or blank', () => {
    const metadata = new Metadata();
    expect(actorOf(metadata)).toBe('anonymous');
    metadata.set('x-pcn-actor', '   ');
    expect(actorOf(metadata)).toBe('anonymous');
    metadata.set('x-pcn-actor', ' centre:750000001 ');
    expect(actorOf(metadata)).toBe('centre:750000001');
  });

  it('bounds the actor as REST does (200 characters): a 24 kB header is not recorded in every event', () => {
    const metadata = new Metadata();
    metadata.set('x-pcn-actor', 'a'.repeat(24_000));
    expect(actorOf(metadata)).toBe('a'.repeat(200));
  });

  it('normalises grpc-js deadlines', () => {
    expect(deadlineOf(Infinity)).toBeUndefined();
    expect(deadlineOf(1_700_000_000_000)).toEqual(new Date(1_700_000_000_000));
    expect(deadlineOf(new Date(1_700_000_000_000))).toEqual(new Date(1_700_000_000_000));
  });

  it('splits a method path into service and method', () => {
    expect(parseMethodPath('/pcn.registry.v1.CentreRegistry/GetCentre')).toEqual({
      service: 'pcn.registry.v1.CentreRegistry',
      method: 'GetCentre',
    });
    expect(parseMethodPath('not-a-path')).toEqual({ service: 'unknown', method: 'not-a-path' });
  });
});
