/** Who sends a command or reads a view: every context speaks of the caller in these terms. */

export const ROLES = ['agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin'] as const;
/** `system`: the service's own processes (the SLA scheduler); never granted by a token. */
export type Role = (typeof ROLES)[number] | 'system';

export interface Actor {
  id: string;
  roles: Role[];
  department?: string;
}
