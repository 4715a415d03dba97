import { accessibilityGeoJson } from './geojson';
import type { CentrePoint, CommunePoint } from './map-points';
import { svgMap } from './svg-map';

const communes: CommunePoint[] = [
  { code: '01053', name: 'Bourg-en-Bresse', latitude: 46.2052, longitude: 5.2255, population: 41525, accessibility: 61.234, class: 'served' },
  { code: '01004', name: 'Ambérieu-en-Bugey', latitude: 45.9608, longitude: 5.3729, population: 14514, accessibility: 22.5, class: 'underserved' },
  { code: '01033', name: 'Valserhône <&>', latitude: 46.1083, longitude: 5.8267, population: 16400, accessibility: 48.1, class: 'served' },
];
const centres: CentrePoint[] = [{ finess: '010000016', latitude: 46.2, longitude: 5.22, gpFte: 6 }];

describe('GeoJSON of accessibility', () => {
  it('gives each commune as a point, longitude first, with its accessibility and class, then the centres', () => {
    const geojson = accessibilityGeoJson(communes, centres);
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(4);
    expect(geojson.features[0]).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [5.2255, 46.2052] },
      properties: { kind: 'commune', code: '01053', name: 'Bourg-en-Bresse', population: 41525, accessibility: 61.23, class: 'served' },
    });
    expect(geojson.features[3]!.properties).toEqual({ kind: 'centre', finess: '010000016', gpFte: 6 });
  });
});

describe('SVG map', () => {
  const svg = svgMap(communes, centres, { title: 'Ain — accessibility', width: 600 });

  it('draws a dot per commune coloured by class, a square per centre, and a legend with the counts', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<circle cx/gu)).toHaveLength(3 + 2); // communes and the legend's two dots
    expect(svg.match(/fill="#d7301f"><title>/gu)).toHaveLength(1);
    expect(svg).toContain('underserved (1)');
    expect(svg).toContain('served (2)');
    expect(svg).toContain('centre (1)');
  });

  it('escapes names, and keeps every point inside the picture', () => {
    expect(svg).toContain('Valserhône &#60;&#38;&#62; (01033)');
    const height = Number(/height="(\d+)"/u.exec(svg)![1]);
    for (const [, cx, cy] of svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/gu)) {
      expect(Number(cx)).toBeLessThanOrEqual(600);
      expect(Number(cy)).toBeLessThanOrEqual(height);
    }
  });
});
