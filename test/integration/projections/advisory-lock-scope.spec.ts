import { lockKey, PostgresAdvisoryLock } from '../../../src/read-side/engine/lock';
import { postgresReadStore, TestReadStore } from '../../support/read-stores';

/**
 * Advisory locks belong to the whole database: two deployments in schemas of one database (as the tests on the
 * machine's shared `test` database, or a staging beside production) must not hold each other's projections.
 */
describe('projection locks on PostgreSQL', () => {
  const stores: TestReadStore[] = [];
  const locks: PostgresAdvisoryLock[] = [];
  afterAll(async () => {
    await Promise.all(locks.map((l) => l.release('disputes')));
    for (const s of stores.reverse()) await s.cleanup();
  });

  it('exclude each other within a schema and not across schemas', async () => {
    const a = await postgresReadStore({ migrate: false });
    const aAgain = await postgresReadStore({ schema: a.schema, migrate: false });
    const b = await postgresReadStore({ migrate: false });
    stores.push(a, b, aAgain);
    const [lockA, lockAAgain, lockB] = [a, aAgain, b].map((s) => new PostgresAdvisoryLock(s.store.pool!));
    locks.push(lockA, lockAAgain, lockB);

    expect(await lockA.tryAcquire('disputes')).toBe(true);
    expect(await lockAAgain.tryAcquire('disputes')).toBe(false); // another instance of the same deployment
    expect(await lockB.tryAcquire('disputes')).toBe(true); // another deployment, same database
    await lockA.release('disputes');
    expect(await lockAAgain.tryAcquire('disputes')).toBe(true); // handed over
  });

  it('keeps the keys of the public schema as they were (instances of the previous release still exclude)', () => {
    expect(lockKey('disputes')).toBe(lockKey('disputes', 'public'));
    expect(lockKey('disputes', 'tenant_a')).not.toBe(lockKey('disputes'));
  });
});
