import { checkRouteTable } from '@pcn/http/testing';
import type { AttributionServices } from '../../application/attribution-services';
import { attributionRoutes } from './attribution-routes';

describe('the attribution route table', () => {
  it('routes every documented operation and documents every route, in a valid OpenAPI 3.1 document', async () => {
    const { documented, listed, routed } = await checkRouteTable(attributionRoutes, {} as AttributionServices);
    expect(listed).toEqual(documented);
    expect(routed).toEqual(documented.map((line) => line.replace(/ \w+$/, '')));
    expect(listed).toHaveLength(16);
  });
});
