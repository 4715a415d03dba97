import {
  departementName,
  findDepartement,
  findOverseasCollectivity,
  findRegion,
  listDepartements,
  listOverseasCollectivities,
  listRegions,
  regionName,
  regionOfDepartement,
} from './administrative-divisions';

describe('administrative divisions (COG 2024)', () => {
  it('lists the 18 régions, 101 départements and 8 overseas collectivities', () => {
    expect(listRegions()).toHaveLength(18);
    expect(listDepartements()).toHaveLength(101);
    expect(listOverseasCollectivities().map((collectivity) => collectivity.code)).toEqual(['975', '977', '978', '984', '986', '987', '988', '989']);
  });

  it('names régions and départements, Corsica and overseas included', () => {
    expect(regionName('11')).toBe('Île-de-France');
    expect(regionName('94')).toBe('Corse');
    expect(regionName('06')).toBe('Mayotte');
    expect(departementName('2A')).toBe('Corse-du-Sud');
    expect(departementName('2B')).toBe('Haute-Corse');
    expect(departementName('971')).toBe('Guadeloupe');
    expect(departementName('987')).toBe('Polynésie française');
    expect(findDepartement('75')).toEqual({ code: '75', name: 'Paris', region: '11', chefLieu: '75056' });
    expect(findRegion('84')?.name).toBe('Auvergne-Rhône-Alpes');
    expect(findOverseasCollectivity('975')?.name).toBe('Saint-Pierre-et-Miquelon');
  });

  it('places every département in a listed région', () => {
    const regions = new Set(listRegions().map((region) => region.code));
    for (const departement of listDepartements()) expect(regions).toContain(departement.region);
    expect(regionOfDepartement('2B')).toBe('94');
    expect(regionOfDepartement('976')).toBe('06');
  });

  it('answers undefined for unknown codes', () => {
    expect(regionName('99')).toBeUndefined();
    expect(departementName('20')).toBeUndefined();
    expect(regionOfDepartement('975')).toBeUndefined();
    expect(findRegion('975')).toBeUndefined();
  });
});
