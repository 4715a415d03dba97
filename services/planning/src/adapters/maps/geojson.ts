import type { CentrePoint, CommunePoint } from './map-points';

interface PointFeature {
  readonly type: 'Feature';
  readonly geometry: { readonly type: 'Point'; readonly coordinates: readonly [number, number] };
  readonly properties: Readonly<Record<string, string | number>>;
}

export interface FeatureCollection {
  readonly type: 'FeatureCollection';
  readonly features: readonly PointFeature[];
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * RFC 7946 GeoJSON: each commune as a point at its centroid (longitude first, as the RFC orders
 * it) with its accessibility and class, then each centre. Accessibility keeps two decimals,
 * positions five (about a metre).
 */
export function accessibilityGeoJson(communes: readonly CommunePoint[], centres: readonly CentrePoint[] = []): FeatureCollection {
  const point = (longitude: number, latitude: number) => ({ type: 'Point' as const, coordinates: [round(longitude, 5), round(latitude, 5)] as const });
  return {
    type: 'FeatureCollection',
    features: [
      ...communes.map((c) => ({
        type: 'Feature' as const,
        geometry: point(c.longitude, c.latitude),
        properties: { kind: 'commune', code: c.code, name: c.name, population: c.population, accessibility: round(c.accessibility, 2), class: c.class },
      })),
      ...centres.map((c) => ({
        type: 'Feature' as const,
        geometry: point(c.longitude, c.latitude),
        properties: { kind: 'centre', finess: c.finess, gpFte: round(c.gpFte, 2) },
      })),
    ],
  };
}
