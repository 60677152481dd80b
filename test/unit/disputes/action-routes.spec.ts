import { ACTION_NAMES, ACTION_ROUTES, actionsOf } from '../../../src/disputes/application/action-routes';
import { allowedActions, decide } from '../../../src/disputes/domain/dispute.decide';
import { ACTIONS } from '../../../src/disputes/domain/dispute.commands';
import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';
import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { DisputeState } from '../../../src/disputes/domain/dispute.state';
import { acknowledged, AGENT, approved, at, cmd, ctx, DISPUTE, filed, MANAGER, proposed, SUPERVISOR } from './dispute.fixtures';

const stateOf = (...events: DisputeEvent[]): DisputeState => {
  const state = foldDispute(events);
  if (state === null) throw new Error('no dispute');
  return state;
};

describe('allowedActions mapped to routes (actions)', () => {
  it('has a route for every action name a dispute can offer (all but filing and scheduler-only ones)', () => {
    // `system` is never granted by a token: an action only the scheduler sends is never offered to a caller.
    const offered = Object.values(ACTIONS)
      .filter((a) => a.action !== 'file' && a.roles.some((r) => r !== 'system'))
      .map((a) => a.action);
    expect([...ACTION_NAMES].sort()).toEqual([...offered].sort());
  });

  it('gives one call per plain action, with the dispute id in the path', () => {
    const state = stateOf(filed());
    const allowed = allowedActions(state, AGENT, at(1));
    const actions = actionsOf(state, AGENT, allowed);
    expect(actions.map((a) => a.action)).toEqual(allowed);
    expect(actions.find((a) => a.action === 'acknowledge')).toEqual({
      action: 'acknowledge',
      operationId: 'acknowledgeDispute',
      method: 'POST',
      path: `/api/v1/disputes/${DISPUTE}/acknowledge`,
    });
  });

  it('names the compensation each approve, decline and pay applies to, within the approver limit', () => {
    const state = stateOf(filed(), acknowledged(), proposed('c-small', 5_000, 'supervisor'), proposed('c-big', 900_000, 'manager'));
    const forSupervisor = actionsOf(state, SUPERVISOR, allowedActions(state, SUPERVISOR, at(30)));
    expect(forSupervisor.filter((a) => a.action === 'approve_compensation').map((a) => a.compensationId)).toEqual(['c-small']);
    expect(forSupervisor.filter((a) => a.action === 'decline_compensation').map((a) => a.compensationId)).toEqual(['c-small', 'c-big']);
    const forManager = actionsOf(state, MANAGER, allowedActions(state, MANAGER, at(30)));
    expect(forManager.filter((a) => a.action === 'approve_compensation')).toEqual([
      expect.objectContaining({ compensationId: 'c-small', path: `/api/v1/disputes/${DISPUTE}/compensations/c-small/approve` }),
      expect.objectContaining({ compensationId: 'c-big', path: `/api/v1/disputes/${DISPUTE}/compensations/c-big/approve` }),
    ]);
    const afterApproval = stateOf(filed(), acknowledged(), proposed('c-small', 5_000, 'supervisor'), approved('c-small'));
    const pay = actionsOf(afterApproval, AGENT, allowedActions(afterApproval, AGENT, at(40))).filter(
      (a) => a.action === 'pay_compensation',
    );
    expect(pay).toEqual([expect.objectContaining({ compensationId: 'c-small', operationId: 'payCompensation' })]);
  });

  it('names the remedy each send_apology and deliver_remedy applies to (issue 14)', () => {
    const breached: DisputeEvent = {
      type: 'SlaBreached',
      data: {
        disputeId: DISPUTE,
        at: at(6),
        breachId: 'b-1',
        kind: 'first_response',
        clockKey: 'first_response:0',
        dueAt: at(5),
        detectedAt: at(6),
        source: 'automatic',
        assignee: 'agent-1',
        department: 'after-sales',
        proof: null,
        note: null,
        investigationDueAt: at(3 * 24 * 60),
      },
    };
    const history = [filed(), breached, acknowledged(20)];
    const confirm = cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'the agent was in a meeting' }, ctx(SUPERVISOR, 30));
    const state = stateOf(...history, ...decide(confirm, foldDispute(history)));
    const actions = actionsOf(state, AGENT, allowedActions(state, AGENT, at(40)));
    expect(actions.filter((a) => a.action === 'send_apology')).toEqual([
      {
        action: 'send_apology',
        operationId: 'sendApology',
        method: 'POST',
        path: `/api/v1/disputes/${DISPUTE}/apologies/b-1-apology/send`,
        remedyId: 'b-1-apology',
      },
    ]);
    expect(actions.filter((a) => a.action === 'deliver_remedy').map((a) => a.path)).toEqual([
      `/api/v1/disputes/${DISPUTE}/remedies/b-1-coupon/deliver`,
    ]);
  });

  it('ignores a name without a route and keeps the route table to POST paths', () => {
    const state = stateOf(filed());
    expect(actionsOf(state, AGENT, ['not_an_action'])).toEqual([]);
    for (const route of Object.values(ACTION_ROUTES)) expect(route.path).toMatch(/^\/api\/v1\//);
  });
});
