import { Actor } from '../../shared/actor';
import { covers } from '../domain/authority';
import { DisputeState } from '../domain/dispute.state';

/**
 * Each name `allowedActions` can hold, and the route that performs it (API.md "Writes", "SLA administration").
 * The OpenAPI document lists them (the enum of `allowedActions` and of `actions[].action`), so a UI can map a
 * button to its call; `actions` (beside the plain list) names the compensation or breach each one applies to.
 */
export const ACTION_ROUTES = {
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
} as const;

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
}

/**
 * `allowedActions` as calls: one entry per action, and for an action on a compensation or a breach one entry per
 * compensation or breach it may apply to now (approve: the pending ones within the caller's limit).
 */
export function actionsOf(state: DisputeState, actor: Actor, allowed: readonly string[]): DisputeAction[] {
  const actions: DisputeAction[] = [];
  for (const name of allowed) {
    if (!(name in ACTION_ROUTES)) continue;
    const action = name as ActionName;
    const route = ACTION_ROUTES[action];
    const call = (ids: { compensationId?: string; breachId?: string } = {}): DisputeAction => ({
      action,
      operationId: route.operationId,
      method: 'POST',
      path: route.path
        .replace('{id}', state.id)
        .replace('{compensationId}', ids.compensationId ?? '')
        .replace('{breachId}', ids.breachId ?? ''),
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
    } else actions.push(call());
  }
  return actions;
}
