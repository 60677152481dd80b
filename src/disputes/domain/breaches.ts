import { CommandContext } from './dispute.commands';
import { conflict, notFound } from '../../shared/errors';
import { DisputeEvent } from './dispute.events';
import { Breach, DisputeState } from './dispute.state';
import { breachRemedies, COUPON_PERCENT, upgradeUntil } from '../../sla/domain/breach-remedies';
import type { RecordSlaBreach } from '../commands/record-sla-breach/record-sla-breach.command';
import type { ConfirmSlaBreach } from '../commands/confirm-sla-breach/confirm-sla-breach.command';
import type { ExemptSlaBreach } from '../commands/exempt-sla-breach/exempt-sla-breach.command';

/** SLA breaches as the dispute records them; what a breach brings the customer is SLA's rule (sla/domain/breach-remedies.ts). */

export function recordBreach(state: DisputeState, command: RecordSlaBreach): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  const d = command.data;
  if (state.breaches.some((b) => b.clockKey === d.clockKey)) throw conflict(`the ${d.clockKey} clock already has a breach`);
  if (state.breaches.some((b) => b.breachId === d.breachId)) throw conflict(`breach ${d.breachId} exists`);
  return [
    {
      type: 'SlaBreached',
      data: {
        disputeId,
        at,
        breachId: d.breachId,
        kind: d.kind,
        clockKey: d.clockKey,
        dueAt: d.dueAt,
        detectedAt: at,
        source: d.source,
        assignee: state.assignee,
        department: state.department,
        proof: d.proof,
        note: d.note ?? null,
        investigationDueAt: d.investigationDueAt ?? null,
      },
    },
  ];
}

/** A confirmed first-response breach issues the customer its remedies at once (entitlements, not payouts). */
export function confirmBreach(state: DisputeState, command: ConfirmSlaBreach): DisputeEvent[] {
  const { now: at, actor } = command.context;
  const disputeId = state.id;
  const breach = findBreach(state, command.data.breachId);
  if (breach.status !== 'detected') throw conflict(`breach ${breach.breachId} is already ${breach.status}`);
  const delayMs = breachDelayMs(state, breach.dueAt, at);
  return [
    {
      type: 'SlaBreachConfirmed',
      data: { disputeId, at, breachId: breach.breachId, reason: command.data.reason, confirmedBy: actor.id, delayMs },
    },
    ...(breach.kind === 'first_response' ? issueBreachRemedies(state, breach, delayMs, command.data.reason, command.context) : []),
  ];
}

export function exemptBreach(state: DisputeState, command: ExemptSlaBreach): DisputeEvent[] {
  const { now: at, actor } = command.context;
  const disputeId = state.id;
  const breach = findBreach(state, command.data.breachId);
  if (breach.status === 'exempted') throw conflict(`breach ${breach.breachId} is already exempted`);
  return [
    {
      type: 'SlaBreachExempted',
      data: {
        disputeId,
        at,
        breachId: breach.breachId,
        reason: command.data.reason,
        exemptedBy: actor.id,
        wasConfirmed: breach.status === 'confirmed',
      },
    },
    ...revokeBreachRemedies(state, breach.breachId, command.data.reason, command.context),
  ];
}

export function findBreach(state: DisputeState, breachId: string): Breach {
  const breach = state.breaches.find((b) => b.breachId === breachId);
  if (!breach) throw notFound(`breach ${breachId} not found on dispute ${state.id}`);
  return breach;
}

/** How late the first response came (or still is): decides the customer's remedy. */
function breachDelayMs(state: DisputeState, dueAt: string, now: string): number {
  const responded = state.firstResponse.respondedAt;
  const end = responded !== null && Date.parse(state.firstResponse.startedAt) <= Date.parse(dueAt) ? responded : now;
  return Math.max(0, Date.parse(end) - Date.parse(dueAt));
}

/** The customer's remedies for a confirmed first-response breach: entitlements of their own (breach-remedies.ts). */
function issueBreachRemedies(
  state: DisputeState,
  breach: Breach,
  delayMs: number,
  reason: string,
  context: CommandContext,
): DisputeEvent[] {
  const { actor, now: at } = context;
  return breachRemedies(delayMs).map(({ suffix, type, reason: what }) => ({
    type: 'BreachRemedyIssued',
    data: {
      disputeId: state.id,
      at,
      remedyId: `${breach.breachId}-${suffix}`,
      breachId: breach.breachId,
      remedy: type,
      reason: what,
      coupon: type === 'coupon' ? { percent: COUPON_PERCENT, appliesTo: state.filing.amountClaimed } : null,
      upgradeUntil: type === 'service_upgrade' ? upgradeUntil(at) : null,
      apology: type === 'apology' ? { channel: state.filing.channel, draft: apologyDraft(state, breach, delayMs, reason) } : null,
      assignee: breach.assignee,
      department: breach.department,
      issuedBy: actor.id,
    },
  }));
}

/**
 * The apology's draft: the cause from the breach (when the answer was due, how late) and the supervisor's
 * finding, in the customer's channel. It never blames the customer: the cause is the supervisor's finding.
 */
export function apologyDraft(state: DisputeState, breach: Breach, delayMs: number, cause: string): string {
  const minutes = Math.max(1, Math.round(delayMs / 60_000));
  return (
    `We are sorry. Our first response to your ${state.filing.channel} request about order ${state.filing.orderId} ` +
    `was due at ${breach.dueAt} and came ${minutes} minute${minutes === 1 ? '' : 's'} late. ` +
    `The cause, as our supervision team found it: ${cause}. The delay was ours, not yours; ` +
    `we have taken measures so that it does not happen again.`
  );
}

/**
 * Exemption: the breach owes the customer nothing, so everything its confirmation issued is revoked; an
 * apology already sent cannot be unsent and stays as it is.
 */
function revokeBreachRemedies(state: DisputeState, breachId: string, reason: string, context: CommandContext): DisputeEvent[] {
  return (state.remedies ?? [])
    .filter((r) => r.breachId === breachId && r.status !== 'revoked' && !(r.type === 'apology' && r.status === 'delivered'))
    .map((r) => ({
      type: 'BreachRemedyRevoked',
      data: {
        disputeId: state.id,
        at: context.now,
        remedyId: r.remedyId,
        breachId,
        reason: `breach exempted: ${reason}`,
        revokedBy: context.actor.id,
      },
    }));
}
