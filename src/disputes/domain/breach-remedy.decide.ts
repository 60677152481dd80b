import { conflict, invalid, notFound } from '../../shared/errors';
import { DisputeEvent } from './dispute.events';
import { DisputeState } from './dispute.state';
import { BreachRemedyState } from './breach-remedy.state';
import { findBreach } from './breaches';
import type { SendApology } from '../commands/send-apology/send-apology.command';
import type { DeliverBreachRemedy } from '../commands/deliver-breach-remedy/deliver-breach-remedy.command';
import type { RecordInvestigationOverdue } from '../commands/record-investigation-overdue/record-investigation-overdue.command';

/** Issue 14: delivering what a confirmed breach owes the customer, and the investigation's missed deadline. */

function openRemedy(state: DisputeState, remedyId: string): BreachRemedyState {
  const remedy = (state.remedies ?? []).find((r) => r.remedyId === remedyId);
  if (!remedy) throw notFound(`remedy ${remedyId} not found on dispute ${state.id}`);
  if (remedy.status === 'revoked') throw conflict(`remedy ${remedyId} was revoked: ${remedy.revoked?.reason ?? ''}`);
  if (remedy.status === 'delivered') throw conflict(`remedy ${remedyId} was already delivered`);
  return remedy;
}

export function sendApology(state: DisputeState, command: SendApology): DisputeEvent[] {
  const { remedyId, channel, text } = command.data;
  const remedy = openRemedy(state, remedyId);
  if (remedy.type !== 'apology') throw conflict(`remedy ${remedyId} is a ${remedy.type}, not an apology`);
  if (text.trim().length === 0) throw invalid('text must not be empty', { field: 'text' });
  return [
    {
      type: 'ApologySent',
      data: {
        disputeId: state.id,
        at: command.context.now,
        remedyId,
        breachId: remedy.breachId,
        channel,
        text,
        sentBy: command.context.actor.id,
      },
    },
  ];
}

export function deliverRemedy(state: DisputeState, command: DeliverBreachRemedy): DisputeEvent[] {
  const remedy = openRemedy(state, command.data.remedyId);
  if (remedy.type === 'apology') throw conflict('an apology is delivered by sending it (POST …/apologies/:remedyId/send)');
  return [
    {
      type: 'BreachRemedyDelivered',
      data: {
        disputeId: state.id,
        at: command.context.now,
        remedyId: remedy.remedyId,
        breachId: remedy.breachId,
        reference: command.data.reference ?? null,
        deliveredBy: command.context.actor.id,
      },
    },
  ];
}

/** Once per breach: only a breach still awaiting investigation past its deadline is reported. */
export function recordInvestigationOverdue(state: DisputeState, command: RecordInvestigationOverdue): DisputeEvent[] {
  const breach = findBreach(state, command.data.breachId);
  if (breach.status !== 'detected') throw conflict(`breach ${breach.breachId} was already ${breach.status}`);
  if (breach.investigationOverdueAt) throw conflict(`the investigation of ${breach.breachId} was already reported overdue`);
  const dueAt = breach.investigationDueAt;
  if (!dueAt || Date.parse(dueAt) > Date.parse(command.context.now))
    throw conflict(`the investigation of ${breach.breachId} is not overdue`);
  return [{ type: 'SlaInvestigationOverdue', data: { disputeId: state.id, at: command.context.now, breachId: breach.breachId, dueAt } }];
}
