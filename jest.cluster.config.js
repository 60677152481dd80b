/**
 * `npm run test:cluster` (issue 19): three instances of the built service on PostgreSQL behind HAProxy, killed
 * under load (test/cluster/). Its own project: it needs dist/ (the script builds first), the machine's
 * PostgreSQL and `haproxy` (a Node proxy stands in when it is missing), and takes a few minutes.
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 240000,
  testMatch: ['<rootDir>/test/cluster/**/*.spec.ts'],
};
