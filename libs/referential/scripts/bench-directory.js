// Load time, memory and radius-search throughput of CommuneDirectory, against a brute-force scan.
// Needs the compiled package: `npm run build -w @pcn/referential && npm run bench -w @pcn/referential`
// (the script runs node with --expose-gc so that heap figures are measured after collection).
const { CommuneDirectory, haversineKm } = require('../dist');

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function heapMb() {
  if (globalThis.gc) globalThis.gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed / 1e6, rss: rss / 1e6 };
}

const before = heapMb();
const directory = new CommuneDirectory();
const stats = directory.loadStats();
const after = heapMb();
console.log(`load: ${stats.rows} rows (${stats.positioned} with coordinates) in ${stats.loadMs.toFixed(0)} ms`);
console.log(`memory: heap +${(after.heap - before.heap).toFixed(1)} MB, rss +${(after.rss - before.rss).toFixed(1)} MB`);

// Random points over metropolitan France's bounding box, as patients' home centroids would be.
const random = mulberry32(20240101);
const points = Array.from({ length: 20000 }, () => ({
  latitude: 42.3 + random() * (51.1 - 42.3),
  longitude: -4.8 + random() * (8.2 + 4.8),
}));
const places = directory.all().filter((place) => place.coordinates !== undefined);

function bruteForce(point, radiusKm) {
  const found = [];
  for (const place of places) if (haversineKm(point, place.coordinates) <= radiusKm) found.push(place);
  return found;
}

for (const cellSizeDegrees of [0.05, 0.1, 0.2, 0.5]) {
  const grid = new CommuneDirectory({ cellSizeDegrees });
  grid.loadStats();
  for (const point of points.slice(0, 2000)) grid.withinRadius(point, 10); // JIT warm-up
  for (const radiusKm of [5, 10, 20, 50]) {
    let results = 0;
    const started = process.hrtime.bigint();
    for (const point of points) results += grid.withinRadius(point, radiusKm).length;
    const micros = Number(process.hrtime.bigint() - started) / 1000 / points.length;
    console.log(
      `cell ${cellSizeDegrees}°, radius ${radiusKm} km: ${micros.toFixed(1)} µs/query, ${(results / points.length).toFixed(1)} places/query, ` +
        `60 M queries ≈ ${((micros * 60e6) / 1e6 / 60).toFixed(1)} min on one core`,
    );
  }
}

const sample = points.slice(0, 500);
for (const radiusKm of [10, 50]) {
  const started = process.hrtime.bigint();
  for (const point of sample) bruteForce(point, radiusKm);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / sample.length;
  console.log(`brute-force scan, radius ${radiusKm} km: ${micros.toFixed(1)} µs/query`);
}
