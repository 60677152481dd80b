import { randomUUID } from 'node:crypto';
import { Actor } from '../actor';
import { conflict } from '../errors';
import { PreconditionFailedError } from './command-errors';
import { Decider } from './decider';
import { EventStore } from './event-store.port';
import { handleCommand } from './handle-command';

/**
 * A versioned admin policy kept in its own stream (like the SLA policy): every change is the next version, the
 * built-in default is version 1 until changed, and versions never change once written, so they are cached and
 * `refresh` reads only what was appended since (another instance may have changed the policy).
 */
export type PolicyChangedEvent<P> = { type: string; data: { version: number; policy: P; reason: string | null; at: string } };
export type Versioned<P> = P & { version: number };

interface PolicyState<P> {
  versions: Map<number, Versioned<P>>;
  current: Versioned<P>;
}

export class PolicyStream<P extends object> {
  private state: PolicyState<P>;
  private revision = -1;
  private readonly decider: Decider<{ policy: P; reason: string | null; at: string }, PolicyChangedEvent<P>, PolicyState<P>>;

  constructor(
    private readonly store: EventStore,
    readonly streamId: string,
    /** The stored event type of a change: a contract, never renamed. */
    readonly eventType: string,
    defaults: P,
  ) {
    const initial = (): PolicyState<P> => {
      const first = { ...defaults, version: 1 };
      return { versions: new Map([[1, first]]), current: first };
    };
    this.state = initial();
    this.decider = {
      initialState: initial,
      evolve: (state, event) => {
        const policy = { ...event.data.policy, version: event.data.version };
        return { versions: new Map(state.versions).set(policy.version, policy), current: policy };
      },
      decide: (command, state) => [{ type: this.eventType, data: { version: state.current.version + 1, ...command } }],
    };
  }

  async refresh(): Promise<Versioned<P>> {
    const events = await this.store.readStream(this.streamId, { fromRevision: this.revision + 1 });
    for (const event of events) {
      if (event.revision !== this.revision + 1) continue; // a concurrent refresh got there first
      this.state = this.decider.evolve(this.state, { type: event.type, data: event.data } as PolicyChangedEvent<P>);
      this.revision = event.revision;
    }
    return this.state.current;
  }

  current(): Promise<Versioned<P>> {
    return this.refresh();
  }

  private refreshedAt = 0;
  /** The current version, read again from the stream at most once per `maxAgeMs` (views: another instance's change shows within it). */
  async recent(maxAgeMs = 1000): Promise<Versioned<P>> {
    if (Date.now() - this.refreshedAt < maxAgeMs) return this.state.current;
    const current = await this.refresh();
    this.refreshedAt = Date.now();
    return current;
  }

  async version(version: number): Promise<Versioned<P> | undefined> {
    return this.state.versions.get(version) ?? (await this.refresh(), this.state.versions.get(version));
  }

  /**
   * A new version, appended with the expected revision: of two admins changing it at once, the second is told to
   * read it again. `ifMatch` (the policy version the caller read, from If-Match): 412 unless it is still in force.
   */
  async change(policy: P, reason: string | null, actor: Actor, at: string, ifMatch?: number): Promise<Versioned<P>> {
    const subject = `the ${this.streamId} version`;
    const result = await handleCommand(
      this.store,
      this.streamId,
      this.decider,
      ({ state }) => {
        if (ifMatch !== undefined && state.current.version !== ifMatch)
          throw new PreconditionFailedError(ifMatch, state.current.version, subject);
        return { policy, reason, at };
      },
      {
        maxAttempts: 1,
        exhausted: () =>
          ifMatch !== undefined
            ? new PreconditionFailedError(ifMatch, ifMatch + 1, subject)
            : conflict(`the policy in ${this.streamId} changed meanwhile; read it again and retry`),
        metadata: (event) => ({
          actorId: actor.id,
          actorRoles: actor.roles,
          commandId: randomUUID(),
          correlationId: randomUUID(),
          causationId: null,
          policyVersion: event.data.version,
          schemaVersion: 1,
        }),
      },
    );
    await this.refresh();
    return result.state.current;
  }
}
