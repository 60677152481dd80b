/**
 * The EventStore contract against a real EventStoreDB, from EVENTSTORE_CONNECTION_STRING (see
 * test/integration/event-store/eventstoredb-real-server.spec.ts). Only this config matches that file;
 * the default config's integration project ignores it.
 */
const { projects } = require('./jest.config');

const integration = projects.find((project) => project.displayName === 'integration');
module.exports = {
  ...integration,
  displayName: 'eventstoredb',
  testTimeout: 60000, // a remote server, and the contract's subscription tests wait on it
  testMatch: ['<rootDir>/test/integration/event-store/eventstoredb-real-server.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
