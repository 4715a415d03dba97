import { checkRouteTable } from '@pcn/http/testing';
import type { StaffServices } from '../../application/staff-services';
import { staffRoutes } from './staff-routes';

describe('the staff route table', () => {
  it('routes every documented operation and documents every route, in a valid OpenAPI 3.1 document', async () => {
    const { documented, listed, routed } = await checkRouteTable(staffRoutes, {} as StaffServices);
    expect(listed).toEqual(documented);
    expect(routed).toEqual(documented.map((line) => line.replace(/ \w+$/, '')));
    expect(listed).toHaveLength(26);
  });
});
