import { Actor, Role } from '../../shared/actor';

/** Who may grant how much per dispute, in minor units (DOMAIN.md "Compensation"). Configuration, not law. */
/**
 * DOMAIN.md's tiers. A senior agent has the agent's limit until an admin sets seed 003's middle tier (e.g.
 * 400.00) in the authority policy: the defaults stay DOMAIN.md's.
 */
export const AUTHORITY_LIMITS = { agent: 20_000, senior_agent: 20_000, supervisor: 60_000, manager: Number.POSITIVE_INFINITY } as const;

export type ApproverRole = keyof typeof AUTHORITY_LIMITS;

/** Limits in force (issue 15: a versioned admin policy, src/disputes/application/policies/authority-policy.ts); null: no limit. */
export interface AuthorityLimits {
  agent: number;
  /**
   * Seed 003's middle tier (a role the JWT may carry). Absent in versions written before it existed: a senior
   * agent then had the agent's limit (seniorAgentLimit).
   */
  senior_agent?: number;
  supervisor: number;
  manager: number | null;
}
export interface AuthorityInForce {
  version: number;
  limits: AuthorityLimits;
}
export const DEFAULT_AUTHORITY_LIMITS: AuthorityLimits = {
  agent: AUTHORITY_LIMITS.agent,
  senior_agent: AUTHORITY_LIMITS.senior_agent,
  supervisor: AUTHORITY_LIMITS.supervisor,
  manager: null,
};
const RANK: Record<ApproverRole, number> = { agent: 1, senior_agent: 2, supervisor: 3, manager: 4 };

/** The senior agent's limit in a policy version: the agent's when the version predates the tier. */
export const seniorAgentLimit = (limits: AuthorityLimits) => limits.senior_agent ?? limits.agent;

/** A customer with this many compensated disputes in the window is flagged for abuse control. */
export const ABUSE_THRESHOLD = { disputes: 3, days: 90 } as const;

export function highestApproverRole(roles: readonly Role[]): ApproverRole | null {
  let best: ApproverRole | null = null;
  for (const role of roles) {
    if (role === 'agent' || role === 'senior_agent' || role === 'supervisor' || role === 'manager') {
      if (best === null || RANK[role] > RANK[best]) best = role;
    }
  }
  return best;
}

export function covers(actor: Actor, required: ApproverRole): boolean {
  const own = highestApproverRole(actor.roles);
  return own !== null && RANK[own] >= RANK[required];
}

/** The least role that may approve: the money limit, raised to supervisor for goodwill or a flagged customer. */
export function requiredApprover(
  totalGranted: number,
  goodwill: boolean,
  customerFlagged: boolean,
  limits: AuthorityLimits = DEFAULT_AUTHORITY_LIMITS,
): ApproverRole {
  let role: ApproverRole =
    totalGranted <= limits.agent
      ? 'agent'
      : totalGranted <= seniorAgentLimit(limits)
        ? 'senior_agent'
        : totalGranted <= limits.supervisor
          ? 'supervisor'
          : 'manager';
  if ((goodwill || customerFlagged) && RANK[role] < RANK.supervisor) role = 'supervisor';
  return role;
}

export function formatMinor(amount: number): string {
  return (amount / 100).toFixed(2);
}
