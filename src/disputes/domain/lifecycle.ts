import { covers } from './authority';
import { forbidden, invalid } from '../../shared/errors';
import { addDays, DisputeEvent, ESCALATION_AFTER_REJECTION_DAYS, REOPEN_WINDOW_DAYS } from './dispute.events';
import { DisputeState } from './dispute.state';
import { assertMayAssignTo } from './ownership';
import { suggestedRemedy } from './playbook';
import type { FileDispute } from '../commands/file-dispute/file-dispute.command';
import type { AcknowledgeDispute } from '../commands/acknowledge/acknowledge.command';
import type { AssignDispute } from '../commands/assign/assign.command';
import type { RejectDispute } from '../commands/reject/reject.command';
import type { WithdrawDispute } from '../commands/withdraw/withdraw.command';
import type { CloseDispute } from '../commands/close/close.command';
import type { ReopenDispute } from '../commands/reopen/reopen.command';
import type { RecordFeedback } from '../commands/record-feedback/record-feedback.command';
import { toIsoInstant } from '../../shared/instants';

/** The dispute's life apart from money and forums: filing, first response, assignment, the ways it ends, feedback. */

export function fileDispute(command: FileDispute): DisputeEvent[] {
  const d = command.data;
  const at = command.context.now;
  if (Date.parse(d.purchasedAt) > Date.parse(at)) throw invalid('purchasedAt is in the future', { field: 'purchasedAt' });
  if (d.deliveredAt !== undefined) {
    if (Date.parse(d.deliveredAt) < Date.parse(d.purchasedAt)) throw invalid('deliveredAt is before purchasedAt', { field: 'deliveredAt' });
    if (Date.parse(d.deliveredAt) > Date.parse(at)) throw invalid('deliveredAt is in the future', { field: 'deliveredAt' });
  }
  const repeatDefect = d.defectCode !== undefined && d.earlierSameDefectDisputes > 0;
  return [
    {
      type: 'DisputeFiled',
      data: {
        disputeId: d.disputeId,
        at,
        customerId: d.customerId,
        orderId: d.orderId,
        productSku: d.productSku,
        channel: d.channel,
        category: d.category,
        description: d.description,
        purchasedAt: toIsoInstant(d.purchasedAt),
        deliveredAt: d.deliveredAt === undefined ? null : toIsoInstant(d.deliveredAt),
        requestedRemedy: d.requestedRemedy,
        amountClaimed: d.amountClaimed ?? null,
        proofOfPurchase: d.proofOfPurchase ?? false,
        defectCode: d.defectCode ?? null,
        itemIntact: d.itemIntact ?? null,
        priority: d.priority ?? 'normal',
        repeatDefect,
        suggestedRemedy: suggestedRemedy(d.category, repeatDefect),
        slaPolicyVersion: d.slaPolicyVersion ?? 1,
        peakExtensionPercent: d.peakExtensionPercent ?? 0,
        department: command.context.actor.department ?? null,
      },
    },
  ];
}

/** The first response; a complex case also tells the customer when and how it will be resolved. */
export function acknowledge(state: DisputeState, command: AcknowledgeDispute): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  const d = command.data;
  const respondedAt = d.respondedAt ?? at;
  if (Date.parse(respondedAt) < Date.parse(state.firstResponse.startedAt)) {
    throw invalid('respondedAt is before the dispute was filed (or reopened)', { field: 'respondedAt' });
  }
  if (Date.parse(respondedAt) > Date.parse(at)) throw invalid('respondedAt is in the future', { field: 'respondedAt' });
  const complex = d.complex === true;
  if (complex && (!d.estimatedResolutionAt || !d.plan)) {
    throw invalid('a complex acknowledgement must tell the customer the expected resolution time and the process', {
      fields: ['estimatedResolutionAt', 'plan'].filter((f) => !d[f as 'plan' | 'estimatedResolutionAt']),
    });
  }
  if (complex && Date.parse(d.estimatedResolutionAt!) <= Date.parse(respondedAt)) {
    throw invalid('estimatedResolutionAt must be after the response', { field: 'estimatedResolutionAt' });
  }
  return [
    {
      type: 'DisputeAcknowledged',
      data: {
        disputeId,
        at,
        message: d.message,
        complex,
        estimatedResolutionAt: complex ? d.estimatedResolutionAt! : null,
        plan: complex ? d.plan! : null,
        respondedAt: toIsoInstant(respondedAt),
      },
    },
  ];
}

/** A supervisor assigns anyone in its reach; an agent only itself (ownership.ts decides the departments). */
export function assign(state: DisputeState, command: AssignDispute): DisputeEvent[] {
  const { now: at, actor } = command.context;
  const disputeId = state.id;
  const d = command.data;
  if (!covers(actor, 'supervisor') && d.agentId !== actor.id) {
    throw forbidden('an agent may only assign an unassigned dispute to itself');
  }
  assertMayAssignTo(actor, d.department);
  return [
    {
      type: 'DisputeAssigned',
      data: {
        disputeId,
        at,
        agentId: d.agentId,
        department: d.department,
        previousAgentId: state.assignee,
        // Why (issue 15): kept when given, e.g. on a reassignment.
        ...(d.reason ? { reason: d.reason } : {}),
      },
    },
  ];
}

export function reject(state: DisputeState, command: RejectDispute): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  return [
    {
      type: 'DisputeRejected',
      data: { disputeId, at, reason: command.data.reason, escalationDeadline: addDays(at, ESCALATION_AFTER_REJECTION_DAYS) },
    },
  ];
}

export function withdraw(state: DisputeState, command: WithdrawDispute): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  return [{ type: 'DisputeWithdrawn', data: { disputeId, at, reason: command.data.reason } }];
}

export function close(state: DisputeState, command: CloseDispute): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  return [
    {
      type: 'DisputeClosed',
      data: { disputeId, at, resolution: command.data.resolution, reopenDeadline: addDays(at, REOPEN_WINDOW_DAYS) },
    },
  ];
}

export function reopen(state: DisputeState, command: ReopenDispute): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  return [{ type: 'DisputeReopened', data: { disputeId, at, reason: command.data.reason } }];
}

export function recordFeedback(state: DisputeState, command: RecordFeedback): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  const { score, comment } = command.data;
  if (!Number.isInteger(score) || score < 1 || score > 5) throw invalid('score must be an integer from 1 to 5', { field: 'score' });
  return [{ type: 'FeedbackReceived', data: { disputeId, at, score, comment: comment ?? null } }];
}
