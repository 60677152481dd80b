import { Actor } from '../../shared/actor';
import { covers } from '../domain/authority';
import { DisputeState } from '../domain/dispute.state';
import { COMMAND_SLICES } from '../domain/dispute.commands';

/**
 * Each name `allowedActions` can hold, and the route that performs it (API.md "Writes", "SLA administration").
 * The OpenAPI document lists them (the enum of `allowedActions` and of `actions[].action`), so a UI can map a
 * button to its call; `actions` (beside the plain list) names the compensation, breach or remedy each one applies to.
 */
const ROUTES_TABLE = {
  acknowledge: { operationId: 'acknowledgeDispute', path: '/api/v1/disputes/{id}/acknowledge' },
  assign: { operationId: 'assignDispute', path: '/api/v1/disputes/{id}/assign' },
  negotiate: { operationId: 'negotiateDispute', path: '/api/v1/disputes/{id}/negotiations' },
  escalate: { operationId: 'escalateDispute', path: '/api/v1/disputes/{id}/escalations' },
  record_outcome: { operationId: 'recordOutcome', path: '/api/v1/disputes/{id}/outcomes' },
  propose_compensation: { operationId: 'proposeCompensation', path: '/api/v1/disputes/{id}/compensations' },
  approve_compensation: { operationId: 'approveCompensation', path: '/api/v1/disputes/{id}/compensations/{compensationId}/approve' },
  decline_compensation: { operationId: 'declineCompensation', path: '/api/v1/disputes/{id}/compensations/{compensationId}/decline' },
  pay_compensation: { operationId: 'payCompensation', path: '/api/v1/disputes/{id}/compensations/{compensationId}/pay' },
  reject: { operationId: 'rejectDispute', path: '/api/v1/disputes/{id}/reject' },
  withdraw: { operationId: 'withdrawDispute', path: '/api/v1/disputes/{id}/withdraw' },
  close: { operationId: 'closeDispute', path: '/api/v1/disputes/{id}/close' },
  reopen: { operationId: 'reopenDispute', path: '/api/v1/disputes/{id}/reopen' },
  feedback: { operationId: 'recordFeedback', path: '/api/v1/disputes/{id}/feedback' },
  report_breach: { operationId: 'reportSlaBreach', path: '/api/v1/sla/breaches' },
  confirm_breach: { operationId: 'confirmSlaBreach', path: '/api/v1/sla/breaches/{breachId}/confirm' },
  exempt_breach: { operationId: 'exemptSlaBreach', path: '/api/v1/sla/breaches/{breachId}/exempt' },
  // Issue 14: what a confirmed breach owes the customer (one call per remedy). `report_investigation_overdue` has
  // no route: only the scheduler (role `system`, never granted by a token) sends it, so no view ever offers it.
  send_apology: { operationId: 'sendApology', path: '/api/v1/disputes/{id}/apologies/{remedyId}/send' },
  deliver_remedy: { operationId: 'deliverBreachRemedy', path: '/api/v1/disputes/{id}/remedies/{remedyId}/deliver' },
  // Issue 15: the agent's case workspace (offered in `workspaceActions`).
  add_note: { operationId: 'addDisputeNote', path: '/api/v1/disputes/{id}/notes' },
  record_contact: { operationId: 'recordDisputeContact', path: '/api/v1/disputes/{id}/contacts' },
  attach_evidence: { operationId: 'attachDisputeEvidence', path: '/api/v1/disputes/{id}/evidence' },
  escalate_internally: { operationId: 'escalateDisputeInternally', path: '/api/v1/disputes/{id}/escalate-internally' },
  answer_internal_escalation: {
    operationId: 'answerInternalEscalation',
    path: '/api/v1/disputes/{id}/internal-escalation/answer',
  },
} as const;

type SliceWithCall = Extract<(typeof COMMAND_SLICES)[number], { call: object }>;
/** The slices added since, each naming its call in COMMAND_SLICES (`call`). */
const SLICE_ROUTES = Object.fromEntries(COMMAND_SLICES.flatMap((s) => ('call' in s && s.call ? [[s.action, s.call]] : []))) as {
  [S in SliceWithCall as S['action']]: S['call'];
};

export const ACTION_ROUTES = { ...ROUTES_TABLE, ...SLICE_ROUTES };

export type ActionName = keyof typeof ACTION_ROUTES;
export const ACTION_NAMES = Object.keys(ACTION_ROUTES) as ActionName[];

export interface DisputeAction {
  action: ActionName;
  operationId: string;
  method: 'POST';
  /** The route with this dispute's (and this compensation's or breach's) ids filled in. */
  path: string;
  compensationId?: string;
  breachId?: string;
  remedyId?: string;
}

/**
 * `allowedActions` as calls: one entry per action, and for an action on a compensation or a breach one entry per
 * compensation, breach or remedy it may apply to now (approve: the pending ones within the caller's limit).
 */
export function actionsOf(state: DisputeState, actor: Actor, allowed: readonly string[]): DisputeAction[] {
  const actions: DisputeAction[] = [];
  for (const name of allowed) {
    if (!(name in ACTION_ROUTES)) continue;
    const action = name as ActionName;
    const route = ACTION_ROUTES[action];
    const call = (ids: { compensationId?: string; breachId?: string; remedyId?: string } = {}): DisputeAction => ({
      action,
      operationId: route.operationId,
      method: 'POST',
      path: route.path
        .replace('{id}', state.id)
        .replace('{compensationId}', ids.compensationId ?? '')
        .replace('{breachId}', ids.breachId ?? '')
        .replace('{remedyId}', ids.remedyId ?? ''),
      ...ids,
    });
    if (action === 'approve_compensation' || action === 'decline_compensation') {
      for (const c of state.compensations)
        if (c.status === 'pending_approval' && (action === 'decline_compensation' || covers(actor, c.requiredApprover)))
          actions.push(call({ compensationId: c.compensationId }));
    } else if (action === 'pay_compensation') {
      for (const c of state.compensations) if (c.status === 'approved') actions.push(call({ compensationId: c.compensationId }));
    } else if (action === 'confirm_breach' || action === 'exempt_breach') {
      for (const b of state.breaches)
        if (action === 'confirm_breach' ? b.status === 'detected' : b.status !== 'exempted') actions.push(call({ breachId: b.breachId }));
    } else if (action === 'send_apology' || action === 'deliver_remedy') {
      for (const r of state.remedies ?? [])
        if (r.status === 'issued' && (r.type === 'apology') === (action === 'send_apology')) actions.push(call({ remedyId: r.remedyId }));
    } else actions.push(call());
  }
  return actions;
}
