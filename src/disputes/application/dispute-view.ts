import { Actor } from '../../shared/actor';
import { DisputeState, disputeStatus } from '../domain/dispute.state';
import { allowedActions } from '../domain/dispute.decide';
import { slaView } from '../../sla/sla-view';
import { SlaPolicy } from '../../sla/domain/sla-policy';
import { actionsOf } from './action-routes';
import { caseWorkspaceView, EvidencePolicyInForce } from './case-workspace-view';

/** Before an evidence policy is configured (and for callers that do not pass one): no checklist. */
const NO_EVIDENCE_POLICY: EvidencePolicyInForce = { version: 0, requirements: [] };

/** The dispute as API.md's `GET /disputes/:id` shows it, for one caller, with the agent's case workspace (issue 15). */
export function toDisputeView(state: DisputeState, actor: Actor, now: Date, policy: SlaPolicy, evidencePolicy = NO_EVIDENCE_POLICY) {
  const sla = slaView(state, now, policy);
  const allowed = allowedActions(state, actor, now.toISOString());
  return {
    id: state.id,
    // The same id under the name queues, events and reports use (issue 16: one id name, `id` kept as it is).
    disputeId: state.id,
    version: state.version,
    stage: state.stage,
    status: disputeStatus(state),
    customerId: state.filing.customerId,
    orderId: state.filing.orderId,
    productSku: state.filing.productSku,
    channel: state.filing.channel,
    category: state.filing.category,
    priority: state.priority,
    assignee: state.assignee,
    department: state.department,
    requestedRemedy: state.filing.requestedRemedy,
    amountClaimed: state.filing.amountClaimed,
    repeatDefect: state.filing.repeatDefect,
    sla,
    compensations: state.compensations.map((c) => ({
      compensationId: c.compensationId,
      type: c.type,
      amount: c.amount,
      status: c.status,
      basis: c.basis,
      goodwill: c.goodwill,
      requiredApprover: c.requiredApprover,
    })),
    offers: state.offers.map((o) => ({ action: o.action, party: o.party, remedy: o.remedy, amount: o.amount, at: o.at })),
    forums: state.forums,
    suggestedRemedy: state.suggestedRemedy,
    allowedActions: allowed,
    actions: actionsOf(state, actor, allowed),
    filedAt: state.filedAt,
    updatedAt: state.updatedAt,
    tags: state.tags ?? [],
    ...caseWorkspaceView(state, actor, now, sla, evidencePolicy),
  };
}

export type DisputeView = ReturnType<typeof toDisputeView>;
