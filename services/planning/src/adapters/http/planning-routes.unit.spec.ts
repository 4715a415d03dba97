import { checkRouteTable } from '@pcn/http/testing';
import { planningRoutes, type PlanningHttpServices } from './planning-routes';

describe('the planning route table', () => {
  it('routes every documented operation and documents every route, in a valid OpenAPI 3.1 document', async () => {
    const { documented, listed, routed } = await checkRouteTable(planningRoutes, {} as PlanningHttpServices);
    expect(listed).toEqual(documented);
    expect(routed).toEqual(documented.map((line) => line.replace(/ \w+$/, '')));
    expect(listed).toHaveLength(17);
  });

  it('documents the CSV upload, the GeoJSON and the SVG under their media types', () => {
    const paths = planningRoutes.openApi().paths ?? {};
    expect(paths['/v1/planning/outside-supply']?.put?.requestBody).toMatchObject({ content: { 'text/csv': {} } });
    expect(paths['/v1/planning/accessibility-computations/{id}/geojson']?.get?.responses?.['200']).toMatchObject({ content: { 'application/geo+json': {} } });
    expect(paths['/v1/planning/accessibility-computations/{id}/map.svg']?.get?.responses?.['200']).toMatchObject({ content: { 'image/svg+xml': {} } });
  });
});
