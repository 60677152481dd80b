import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../../../shared/event-sourcing/event-store.port';
import { PolicyStream } from '../../../shared/event-sourcing/policy-stream';
import { AuthorityLimits, DEFAULT_AUTHORITY_LIMITS } from '../../domain/authority';

/**
 * Authority limits per role, a versioned admin policy (issue 15): in minor units, `manager: null` for no limit.
 * Version 1 is DOMAIN.md's (agent 200.00, supervisor 600.00, manager any) until an admin changes it; each
 * compensation records the version it was judged under (CompensationProposed.authorityPolicyVersion).
 */
export interface AuthorityPolicy {
  limits: AuthorityLimits;
}

export const AUTHORITY_POLICY_STREAM = 'authority-policy';

@Injectable()
export class AuthorityPolicyRegistry extends PolicyStream<AuthorityPolicy> {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store, AUTHORITY_POLICY_STREAM, 'AuthorityPolicyChanged', { limits: DEFAULT_AUTHORITY_LIMITS });
  }
}
