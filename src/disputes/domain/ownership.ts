import { forbidden } from '../../shared/errors';
import { Actor, Role } from '../../shared/actor';

/**
 * Ownership (API.md "Ownership"): roles say what a user may do, ownership says on which disputes.
 * One pure rule for every route, reads included; the decider applies it to every command and the
 * query side to every read, list and queue.
 *
 * - agent: writes on disputes assigned to them and on unassigned disputes of their own department
 *   (to take one); reads the disputes of their own department;
 * - supervisor: reads and writes within their department;
 * - manager: reads and writes in every department; auditor and analyst: read every department;
 * - admin: reads (to administer), writes on no dispute; system (the service's own processes): writes.
 *
 * A dispute with no department was filed before filings recorded one (or by a user without a
 * department): it sits in every department's pool until a supervisor or an agent takes it.
 * An actor holding several roles gets the widest access any of them gives.
 */
export type Access = 'none' | 'read' | 'write';

export interface OwnedDispute {
  assignee: string | null;
  department: string | null;
}

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };

export function accessTo(actor: Actor, dispute: OwnedDispute): Access {
  let best: Access = 'none';
  for (const role of actor.roles) {
    const access = accessByRole(role, actor, dispute);
    if (RANK[access] > RANK[best]) best = access;
  }
  return best;
}

function accessByRole(role: Role, actor: Actor, dispute: OwnedDispute): Access {
  const ownDepartment = dispute.department === null || (actor.department !== undefined && actor.department === dispute.department);
  switch (role) {
    case 'system':
    case 'manager':
      return 'write';
    case 'supervisor':
      return ownDepartment ? 'write' : 'none';
    case 'agent':
    case 'senior_agent': // as an agent
      if (dispute.assignee === actor.id) return 'write';
      if (!ownDepartment) return 'none';
      return dispute.assignee === null ? 'write' : 'read';
    case 'auditor':
    case 'analyst':
    case 'admin':
      return 'read';
  }
}

export const canRead = (actor: Actor, dispute: OwnedDispute) => accessTo(actor, dispute) !== 'none';
export const canWrite = (actor: Actor, dispute: OwnedDispute) => accessTo(actor, dispute) === 'write';

export function assertCanRead(actor: Actor, dispute: OwnedDispute & { id?: string }): void {
  if (!canRead(actor, dispute)) throw forbidden(outside(actor, dispute));
}

export function assertCanWrite(actor: Actor, dispute: OwnedDispute): void {
  if (canWrite(actor, dispute)) return;
  if (canRead(actor, dispute))
    throw forbidden(
      `this dispute is assigned to ${dispute.assignee ?? 'nobody'}: only its assignee, a supervisor of its department or a manager may act on it`,
    );
  throw forbidden(outside(actor, dispute));
}

/**
 * Whose disputes a list or queue may show this actor: every department, or their own department
 * (plus the disputes that have none). A user of a department-bound role without a department sees none.
 */
export type ReadScope = { all: true } | { department: string | null };

export function readScope(actor: Actor): ReadScope {
  if (actor.roles.some((r) => r === 'manager' || r === 'auditor' || r === 'analyst' || r === 'admin' || r === 'system'))
    return { all: true };
  return { department: actor.department ?? null };
}

/**
 * Which department an assignment may name: an agent takes a dispute into their own department, a
 * supervisor assigns within theirs; a manager anywhere.
 */
export function assertMayAssignTo(actor: Actor, department: string): void {
  if (actor.roles.includes('manager') || actor.roles.includes('system')) return;
  if (actor.department === undefined || actor.department !== department) {
    throw forbidden(`you may only assign within your own department (${actor.department ?? 'none on your token'}), not to ${department}`);
  }
}

function outside(actor: Actor, dispute: OwnedDispute): string {
  return `this dispute belongs to department ${dispute.department ?? 'none'}, outside yours (${actor.department ?? 'none on your token'})`;
}
