import { EARTH_RADIUS_KM, haversineKm } from './haversine';

describe('haversineKm', () => {
  it('is zero between a point and itself', () => {
    expect(haversineKm({ latitude: 48.85, longitude: 2.35 }, { latitude: 48.85, longitude: 2.35 })).toBe(0);
  });

  it('gives R·π/180 for one degree along a meridian or the equator', () => {
    const oneDegree = (EARTH_RADIUS_KM * Math.PI) / 180; // 111.195 km
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(oneDegree, 9);
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 })).toBeCloseTo(oneDegree, 9);
  });

  it('shrinks east-west distances by cos(latitude)', () => {
    // At 60° N a degree of longitude spans about half of one at the equator (the small-angle
    // chord differs from the arc by far less than a metre).
    const oneDegree = (EARTH_RADIUS_KM * Math.PI) / 180;
    expect(haversineKm({ latitude: 60, longitude: 0 }, { latitude: 60, longitude: 1 })).toBeCloseTo(oneDegree / 2, 2);
  });

  it('gives half the circumference between antipodes, and crosses the antimeridian the short way', () => {
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(haversineKm({ latitude: -90, longitude: 0 }, { latitude: 90, longitude: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    const across = haversineKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 });
    expect(across).toBeCloseTo((EARTH_RADIUS_KM * Math.PI) / 180, 9);
  });

  it('is symmetric', () => {
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    const ajaccio = { latitude: 41.92274, longitude: 8.70583 };
    expect(haversineKm(paris, ajaccio)).toBeCloseTo(haversineKm(ajaccio, paris), 9);
  });
});
