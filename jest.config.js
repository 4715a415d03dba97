// Three projects: `unit` runs with no server to install (pure, in-memory, embedded PGlite,
// in-process gRPC/HTTP); `infra` needs the real servers of the machine (PostgreSQL, Kafka);
// `kurrentdb` needs a KurrentDB server at KURRENTDB_URL and fails without one.
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

// Tests import workspace packages from their sources, so no build is needed to run them.
const moduleNameMapper = {};
for (const root of ['libs', 'services']) {
  for (const dir of readdirSync(join(__dirname, root))) {
    const pkg = join(__dirname, root, dir, 'package.json');
    if (existsSync(pkg)) {
      const name = require(pkg).name;
      moduleNameMapper[`^${name}$`] = `<rootDir>/${root}/${dir}/src/index.ts`;
      moduleNameMapper[`^${name}/testing$`] = `<rootDir>/${root}/${dir}/src/testing/index.ts`;
    }
  }
}

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/*/src/**/*.{unit,int}.spec.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/{libs,services}/*/src/**/*.infra.spec.ts'] },
    { ...common, displayName: 'kurrentdb', testMatch: ['<rootDir>/{libs,services}/*/src/**/*.kurrentdb.spec.ts'] },
  ],
};
