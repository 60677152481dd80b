'use strict';
/**
 * Realistic dispute streams for the scale benchmark, made by the real decider (dist/), so that reads and
 * projections can fold them, 10 events each:
 *  - closed: file → acknowledge → assign → escalate → mediated settlement (3 events: outcome, compensation
 *    proposed, approved) → paid (2 events) → closed;
 *  - open: file → acknowledge → assign to one of 1,000 agents → 7 offers and counter-offers (still in
 *    negotiation: it sits in that agent's queue).
 * A few templates with different times are built once; each dispute substitutes its own ids.
 */
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');

const DIST = join(__dirname, '..', '..', 'dist');
const EVENTS_PER_DISPUTE = 10;
const TEMPLATES = 64;
const AGENTS = 1000;

function buildTemplates(kind) {
  const { decide } = require(join(DIST, 'disputes', 'domain', 'dispute.decide.js'));
  const { DISPUTE_EVENT_SCHEMA_VERSION } = require(join(DIST, 'disputes', 'domain', 'dispute.events.js'));
  // The fold moved to dispute.evolve.js (issue 18); older builds export it from dispute.events.js.
  const evolve = require(join(DIST, 'disputes', 'domain', 'dispute.events.js')).evolve ?? require(join(DIST, 'disputes', 'domain', 'dispute.evolve.js')).evolve;
  const { DEFAULT_SLA_POLICY } = require(join(DIST, 'sla', 'domain', 'sla-policy.js'));
  const agent = { id: 'agent-7', roles: ['agent'], department: 'after-sales' };
  const supervisor = { id: 'sup-2', roles: ['supervisor'], department: 'after-sales' };
  const templates = [];
  for (let k = 0; k < TEMPLATES; k++) {
    // Closed disputes spread over the past year; open ones filed in the last two days, so their clocks run
    // (none overdue: the server's breach scheduler stays idle while reads are measured).
    let t = kind === 'open' ? Date.now() - 2 * 86_400_000 + k * 600_000 : Date.parse('2026-01-05T09:00:00Z') + k * 5 * 86_400_000 + k * 977_000;
    const at = (hours) => new Date((t += hours * 3_600_000)).toISOString();
    const closedTail = () => [
      ['AssignDispute', supervisor, { agentId: 'agent-7', department: 'after-sales' }],
      ['EscalateDispute', agent, { forum: 'mediation', institution: 'consumer association', reason: 'no agreement on the amount' }],
      ['RecordOutcome', agent, { forum: 'mediation', result: 'settled', amount: { amount: 9_900, currency: 'CNY' }, terms: 'partial refund', compensationId: '@@K@@', recentCompensatedDisputes: 0 }],
      ['PayCompensation', agent, { compensationId: '@@K@@', paymentReference: null, payout: { payoutId: '@@P@@' } }],
      ['CloseDispute', agent, { resolution: 'refunded in part after mediation' }],
    ];
    const openTail = () => [
      ['AssignDispute', supervisor, { agentId: '@@A@@', department: 'after-sales' }],
      // Assigned to another agent, so the department's supervisor negotiates (ownership rules, issue 15).
      ...[5_000, 15_000, 8_000, 12_000, 9_000, 11_000, 9_500].map((amount, j) => ['NegotiateDispute', supervisor, {
        action: j === 0 ? 'offer' : 'counter', party: j % 2 === 0 ? 'merchant' : 'customer', remedy: 'refund',
        amount: { amount, currency: 'CNY' }, compensationId: '@@K@@', recentCompensatedDisputes: 0,
      }]),
    ];
    const commands = [
      ['FileDispute', agent, {
        disputeId: '@@D@@', customerId: '@@C@@', orderId: '@@O@@', productSku: `sku-${k}`, channel: ['web', 'phone', 'chat', 'email'][k % 4],
        category: 'quality_defect', description: 'the kettle leaks at the seam after two weeks of use',
        purchasedAt: new Date(t - 10 * 86_400_000).toISOString(), deliveredAt: new Date(t - 8 * 86_400_000).toISOString(),
        requestedRemedy: 'refund', amountClaimed: { amount: 19_900, currency: 'CNY' }, proofOfPurchase: true, defectCode: 'LEAK',
        earlierSameDefectDisputes: 0,
      }],
      ['AcknowledgeDispute', agent, { message: 'Thank you, we are looking into it and will call you tomorrow.' }],
      ...(kind === 'open' ? openTail() : closedTail()),
    ];
    let state = null;
    const events = [];
    commands.forEach(([type, actor, data], c) => {
      const produced = decide({ type, data, context: { actor, now: at(c === 0 ? 0 : kind === 'open' ? 1 : 5) } }, state);
      for (const event of produced) {
        state = evolve(state, event);
        events.push({
          type: event.type,
          occurredAt: event.data.at,
          data: event.data,
          metadata: {
            actorId: actor.id, actorRoles: actor.roles, commandId: `@@M${c}@@`, commandType: type, correlationId: `@@M${c}@@`,
            causationId: null, policyVersion: DEFAULT_SLA_POLICY.version, schemaVersion: DISPUTE_EVENT_SCHEMA_VERSION[event.type],
          },
        });
      }
    });
    if (events.length !== EVENTS_PER_DISPUTE) throw new Error(`template has ${events.length} events, expected ${EVENTS_PER_DISPUTE}`);
    templates.push(JSON.stringify(events));
  }
  return templates;
}

/**
 * Returns (i) → { disputeId, streamId, events, open } for the i-th dispute of a run; every `openEvery`-th
 * dispute stays open, assigned to agent-(its number modulo 1,000).
 */
function disputeFactory({ openEvery = 0 } = {}) {
  const closed = buildTemplates('closed');
  const open = openEvery > 0 ? buildTemplates('open') : [];
  let opened = 0;
  return (i) => {
    const isOpen = openEvery > 0 && i % openEvery === 0;
    const templates = isOpen ? open : closed;
    const disputeId = randomUUID();
    const ids = { D: disputeId, C: `cust-${i % 50_000}`, O: `order-${i}`, K: randomUUID(), P: `payout-${i}`, A: `agent-${isOpen ? opened++ % AGENTS : 0}` };
    const json = templates[i % templates.length].replace(/@@(\w+)@@/g, (_, name) => {
      if (name[0] === 'M') return (ids[name] ??= randomUUID());
      return ids[name];
    });
    return { disputeId, streamId: `dispute-${disputeId}`, events: JSON.parse(json), open: isOpen };
  };
}

module.exports = { disputeFactory, EVENTS_PER_DISPUTE, AGENTS };
