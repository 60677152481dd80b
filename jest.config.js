/** Unit tests are pure and fast; integration tests start servers, child processes or databases. */
/** ES-module-only packages (Node loads them with require(esm); jest's module system needs them transpiled). */
const ESM_PACKAGES = ['hyparquet', 'hyparquet-writer'];
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/test/integration/**/*.spec.ts',
        '<rootDir>/test/reliability/**/*.spec.ts',
        '<rootDir>/test/security/**/*.spec.ts',
      ],
      // Needs a real EventStoreDB: `npm run test:eventstoredb` with EVENTSTORE_CONNECTION_STRING set.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/event-store/eventstoredb-real-server.spec.ts'],
    },
  ],
};
