import { DisputeState } from '../../disputes/domain/dispute.state';
import { Actor } from '../../shared/actor';
import { prng } from '../../shared/prng';
import { DisputeCommandType } from '../../disputes/domain/dispute.commands';

import { HOUR, CATEGORY_WEIGHTS } from './seed-data';
import { Category, Channel, CHANNELS, DAY_MS } from '../../disputes/domain/dispute.types';

/**
 * Demo disputes as scripts: each is a generator that yields the next command (when, who, what) and
 * receives the dispute's state after it, so later steps can use what earlier ones produced (compensation
 * ids, who must approve). Every command goes through the real handler and decider: nothing is forged.
 */
export interface SeedStep {
  at: Date;
  actor: Actor;
  type: DisputeCommandType;
  data: Record<string, unknown>;
  /** An evidence file's bytes, stored in the blob store before the step runs (issue 15). */
  content?: Buffer;
}

export type Script = Generator<SeedStep, void, DisputeState>;

/** `--random-seed` reproduces a data set's shape. */
export { prng };

/** The kinds of story a seeded dispute can tell; weights sum to 100. */
export const SCENARIOS = {
  just_filed: 7,
  acknowledged: 9,
  compensated_and_closed: 26,
  negotiated: 12,
  mediated: 8,
  arbitrated: 4,
  litigated: 3,
  rejected: 8,
  withdrawn: 7,
  goodwill_non_money: 9,
  reopened: 4,
  awaiting_approval: 3,
} as const;
export type ScenarioKind = keyof typeof SCENARIOS;

export interface DisputePlan {
  index: number;
  disputeId: string;
  filedAt: Date;
  channel: Channel;
  category: Category;
  scenario: ScenarioKind;
  /** A case still in progress stops after this many commands (every stage then has open cases). */
  stopAfter: number;
}

export class SeedRandom {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [key, w] of entries) if ((r -= w) < 0) return key;
    return entries[entries.length - 1][0];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export function planDispute(index: number, disputeId: string, rnd: SeedRandom, now: Date, months: number): DisputePlan {
  const spanMs = months * 30 * DAY_MS;
  const filedAt = new Date(now.getTime() - Math.floor(rnd.next() * spanMs) - HOUR);
  const category = rnd.weighted(CATEGORY_WEIGHTS);
  let scenario = rnd.weighted(SCENARIOS);
  if (category === 'misuse') scenario = rnd.chance(0.8) ? 'rejected' : 'withdrawn'; // misuse earns no remedy
  const stopAfter = rnd.chance(0.3) ? rnd.int(2, 9) : Number.POSITIVE_INFINITY;
  return { index, disputeId, filedAt, channel: rnd.pick(CHANNELS), category, scenario, stopAfter };
}
