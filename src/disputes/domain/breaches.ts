import { CommandContext } from './dispute.commands';
import { conflict, notFound } from '../../shared/errors';
import { DisputeEvent } from './dispute.events';
import { Breach, DisputeState } from './dispute.state';
import { breachRemedies } from '../../sla/domain/breach-remedies';
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
      },
    },
  ];
}

/** A confirmed first-response breach brings the customer its remedies at once. */
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
    ...(breach.kind === 'first_response' ? grantBreachRemedies(state, breach.breachId, delayMs, command.context) : []),
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
  ];
}

function findBreach(state: DisputeState, breachId: string): Breach {
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

/** The customer's remedies for a confirmed first-response breach, granted as approved compensations. */
function grantBreachRemedies(state: DisputeState, breachId: string, delayMs: number, context: CommandContext): DisputeEvent[] {
  const { actor, now: at } = context;
  return breachRemedies(delayMs).flatMap(({ suffix, type, reason }) => {
    const compensationId = `${breachId}-${suffix}`;
    return [
      {
        type: 'CompensationProposed',
        data: {
          disputeId: state.id,
          at,
          compensationId,
          type,
          amount: null,
          reason,
          basis: 'sla_breach',
          goodwill: false,
          eligibilityRule: `confirmed first-response breach, ${Math.round(delayMs / 60_000)} minutes late`,
          customerFlagged: false,
          requiredApprover: 'agent',
          proposedBy: actor.id,
        },
      },
      {
        type: 'CompensationApproved',
        data: { disputeId: state.id, at, compensationId, approvedBy: actor.id, note: 'policy-mandated breach remedy', automatic: true },
      },
    ] as DisputeEvent[];
  });
}
