import type { CentrePoint, CommunePoint } from './map-points';

export interface SvgMapOptions {
  readonly title: string;
  /** Width of the drawing in pixels; the height follows the territory's shape. */
  readonly width?: number;
}

const CLASS_COLOURS = { underserved: '#d7301f', served: '#2c7fb8' } as const;
const PADDING = 20;
const LEGEND_HEIGHT = 40;

const escapeXml = (text: string): string => text.replace(/[<>&"']/gu, (c) => `&#${c.charCodeAt(0)};`);
const fixed = (value: number): string => value.toFixed(1);

/**
 * A picture of a territory: each commune a dot at its centroid, coloured by accessibility class
 * and sized by population, the centres as black squares, with a legend. Equirectangular
 * projection around the territory's mean latitude, which keeps shapes right at the scale of a
 * région; the whole nation with its overseas départements is drawn as one box.
 */
export function svgMap(communes: readonly CommunePoint[], centres: readonly CentrePoint[], options: SvgMapOptions): string {
  const width = options.width ?? 800;
  const all = [...communes, ...centres];
  // Loops, not Math.min(...): a whole country is 35,000 arguments. An empty territory gets a unit box.
  let [minLat, maxLat, minLon, maxLon] = all.length === 0 ? [0, 1, 0, 1] : [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of all) {
    minLat = Math.min(minLat, p.latitude);
    maxLat = Math.max(maxLat, p.latitude);
    minLon = Math.min(minLon, p.longitude);
    maxLon = Math.max(maxLon, p.longitude);
  }
  const shrink = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * shrink, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = (width - 2 * PADDING) / spanX;
  const height = Math.ceil(spanY * scale + 2 * PADDING + LEGEND_HEIGHT);
  const x = (longitude: number) => fixed(PADDING + (longitude - minLon) * shrink * scale);
  const y = (latitude: number) => fixed(PADDING + LEGEND_HEIGHT + (maxLat - latitude) * scale);
  const radius = (population: number) => fixed(Math.min(8, 1 + Math.sqrt(population) / 60));

  const dots = communes.map(
    (c) =>
      `<circle cx="${x(c.longitude)}" cy="${y(c.latitude)}" r="${radius(c.population)}" fill="${CLASS_COLOURS[c.class]}"><title>${escapeXml(
        `${c.name} (${c.code}): ${c.accessibility.toFixed(1)} GP FTE per 100,000, ${c.class}`,
      )}</title></circle>`,
  );
  const squares = centres.map(
    (c) =>
      `<rect x="${fixed(Number(x(c.longitude)) - 3)}" y="${fixed(Number(y(c.latitude)) - 3)}" width="6" height="6" fill="#000"><title>${escapeXml(
        `centre ${c.finess}: ${c.gpFte} GP FTE`,
      )}</title></rect>`,
  );
  const underserved = communes.filter((c) => c.class === 'underserved').length;
  const legend = [
    `<text x="${PADDING}" y="18" font-size="14" font-family="sans-serif">${escapeXml(options.title)}</text>`,
    `<circle cx="${PADDING + 5}" cy="32" r="5" fill="${CLASS_COLOURS.underserved}"/><text x="${PADDING + 14}" y="36" font-size="11" font-family="sans-serif">underserved (${underserved})</text>`,
    `<circle cx="${PADDING + 165}" cy="32" r="5" fill="${CLASS_COLOURS.served}"/><text x="${PADDING + 174}" y="36" font-size="11" font-family="sans-serif">served (${communes.length - underserved})</text>`,
    `<rect x="${PADDING + 290}" y="27" width="10" height="10" fill="#000"/><text x="${PADDING + 305}" y="36" font-size="11" font-family="sans-serif">centre (${centres.length})</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...legend,
    `<g stroke="none" fill-opacity="0.85">`,
    ...dots,
    `</g>`,
    ...squares,
    `</svg>`,
  ].join('\n');
}
