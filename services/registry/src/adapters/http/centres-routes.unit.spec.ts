import { checkRouteTable } from '@pcn/http/testing';
import type { CentreRegistry } from '../../application/centre-registry';
import { centreRoutes } from './centres-routes';

describe('the registry route table', () => {
  it('routes every documented operation and documents every route, in a valid OpenAPI 3.1 document', async () => {
    const { documented, listed, routed } = await checkRouteTable(centreRoutes, {} as CentreRegistry);
    expect(listed).toEqual(documented);
    expect(routed).toEqual(documented.map((line) => line.replace(/ \w+$/, '')));
    expect(listed).toHaveLength(9);
  });
});
