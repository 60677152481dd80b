import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { evolvePolicy, initialPolicyState, SLA_POLICY_STREAM, SlaPolicyEvent, SlaPolicyState } from '../domain/sla-policy.events';
import { SlaPolicy } from '../domain/sla-policy';

/**
 * Policy versions from the `sla-policy` stream. Versions never change once written, so they are cached;
 * `refresh` reads only what was appended since (another instance may have changed the policy).
 */
@Injectable()
export class SlaPolicyRegistry {
  private state: SlaPolicyState = initialPolicyState();
  private revision = -1;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async refresh(): Promise<SlaPolicyState> {
    const events = await this.store.readStream(SLA_POLICY_STREAM, { fromRevision: this.revision + 1 });
    for (const event of events) {
      if (event.revision !== this.revision + 1) continue; // a concurrent refresh got there first
      this.state = evolvePolicy(this.state, { type: event.type, data: event.data } as SlaPolicyEvent);
      this.revision = event.revision;
    }
    return this.state;
  }

  /** The state as last refreshed, and the stream revision it reflects (for appends with an expected revision). */
  snapshot(): { state: SlaPolicyState; revision: number } {
    return { state: this.state, revision: this.revision };
  }

  async current(): Promise<SlaPolicy> {
    return (await this.refresh()).current;
  }

  /** A dispute's policy: the version in force when it was filed. */
  async version(version: number): Promise<SlaPolicy> {
    let policy = this.state.versions.get(version);
    if (!policy) policy = (await this.refresh()).versions.get(version);
    if (!policy) throw new Error(`SLA policy version ${version} is not in the ${SLA_POLICY_STREAM} stream`);
    return policy;
  }

  /** Synchronous lookup for code that already refreshed (projections refresh once per batch). */
  cached(version: number): SlaPolicy | undefined {
    return this.state.versions.get(version);
  }
}
