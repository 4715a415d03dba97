import { deadlineOf } from './call-context';
import { parseMethodPath } from './method-path';

describe('call context helpers', () => {
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
