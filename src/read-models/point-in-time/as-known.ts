import { Kysely } from 'kysely';
import { ReadStore } from '../../read-side/store/read-store';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { ReadSchema } from '../read-schema';
import { queryAsKnownAt } from './read-models-as-known';

/** What a point-in-time report adds to its answer: the time, and which events the figures come from. */
export interface AsKnown {
  asKnownAt: string;
  basis: string;
}

export const asKnownBasis = (asKnownAt: string) =>
  `only the events recorded by ${asKnownAt} (later events, corrections and exemptions included, are left out)`;

/**
 * A read-model report live (on the read store) or as known at a time (on the read models rebuilt from the events
 * recorded by then), marked in the answer so the two are never confused.
 */
export async function reportAsKnown<T extends object>(
  live: ReadStore,
  log: EventStore,
  asKnownAt: string | undefined,
  report: (db: Kysely<ReadSchema>) => Promise<T>,
): Promise<T | (T & AsKnown)> {
  if (asKnownAt === undefined) return report(live.db);
  const figures = await queryAsKnownAt(log, asKnownAt, (store) => report(store.db));
  return { ...figures, asKnownAt, basis: asKnownBasis(asKnownAt) };
}
