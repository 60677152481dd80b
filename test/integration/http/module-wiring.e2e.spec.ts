import { ModulesContainer } from '@nestjs/core';
import { EVENT_STORE } from '../../../src/shared/event-sourcing/event-store.port';
import { READ_STORE } from '../../../src/read-side/store/read-store';
import { ProjectionEngine } from '../../../src/read-side/engine/projection-engine.service';
import { SlaPolicyRegistry } from '../../../src/sla/application/sla-policy.registry';
import { useTestApp } from '../../support/test-app';

/**
 * Issue 18: only configuration is global, every other module imports what it uses; and a stateful module
 * imported by several others is one instance (the app creates each dynamic module once and hands it down).
 */
describe('module wiring', () => {
  const t = useTestApp();
  const modules = () => [...t.app.get(ModulesContainer).values()];
  // Our modules: their classes are declared under src/ (the framework's and libraries' own are not ours to judge).
  const ours = () => modules().filter((m) => /Module$/.test(m.metatype.name) && !OUTSIDE.has(m.metatype.name));

  it('only AppConfigModule is global', () => {
    expect(
      ours()
        .filter((m) => m.isGlobal)
        .map((m) => m.metatype.name),
    ).toEqual(['AppConfigModule']);
  });

  it('each stateful module exists once, so every importer shares one event store, read store, engine and policy cache', () => {
    const count = (name: string) => modules().filter((m) => m.metatype.name === name).length;
    for (const name of ['EventStoreModule', 'ReadSideModule', 'SlaPolicyModule', 'OpsModule', 'AuditTrailModule', 'CompensationModule']) {
      expect([name, count(name)]).toEqual([name, 1]);
    }
    // The token is provided by one module only, one instance.
    for (const token of [EVENT_STORE, READ_STORE, ProjectionEngine, SlaPolicyRegistry]) {
      const providers = modules().flatMap((m) => [...m.providers.values()].filter((p) => p.token === token));
      expect(providers).toHaveLength(1);
      expect(providers[0].instance).toBeTruthy();
    }
    // Two contexts that import the event store and the read side import the same module objects.
    const imported = (from: string, name: string) =>
      [...modules().find((m) => m.metatype.name === from)!.imports].find((m) => m.metatype.name === name);
    for (const name of ['EventStoreModule', 'ReadSideModule']) {
      expect(imported('DisputesModule', name)).toBeDefined();
      expect(imported('DisputesModule', name)).toBe(imported('SlaSupervisionModule', name));
    }
  });
});

/** Framework and library modules (Nest core, cqrs, jwt, pino, throttler, terminus). */
const OUTSIDE = new Set([
  'InternalCoreModule',
  'CqrsModule',
  'JwtModule',
  'LoggerModule',
  'LoggerCoreModule',
  'ThrottlerModule',
  'TerminusModule',
]);
