/** Who sends a command or reads a view: every context speaks of the caller in these terms. */

/**
 * `senior_agent` (issue 15, seed 003's middle tier): works cases as an agent does (a token carrying it acts with
 * the agent role too, so every agent route and ownership rule applies) and approves compensations up to the
 * authority policy's `senior_agent` limit.
 */
export const ROLES = ['agent', 'senior_agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin'] as const;
/** `system`: the service's own processes (the SLA scheduler); never granted by a token. */
export type Role = (typeof ROLES)[number] | 'system';

export interface Actor {
  id: string;
  roles: Role[];
  department?: string;
}
