import { DisputeEvent, DisputeFiled } from './dispute.events';
import { evolveRemedies, isRemedy, legacyRemedy } from './breach-remedy.state';
import { advance, Breach, caseFileOf, Compensation, DisputeState, DisputeStateOrNone, emptyCaseFile, initialState } from './dispute.state';
import { evolveCaseFile } from './case-file.evolve';

/** Folds one dispute event into the state. Pure, total over the stored contract (every type, every schema version). */
export function evolve(state: DisputeStateOrNone, event: DisputeEvent): DisputeState {
  if (event.type === 'DisputeFiled') return filed(event);
  if (state === null) throw new Error(`${event.type} cannot start a dispute stream`);
  const s: DisputeState = { ...state, version: state.version + 1, updatedAt: event.data.at };
  switch (event.type) {
    case 'DisputeAcknowledged': {
      const d = event.data;
      return {
        ...s,
        stage: advance(s.stage, 'acknowledged'),
        firstResponse: { ...s.firstResponse, respondedAt: d.respondedAt, recordedAt: d.at },
        acknowledgement: { message: d.message, complex: d.complex, estimatedResolutionAt: d.estimatedResolutionAt, plan: d.plan },
      };
    }
    case 'DisputeAssigned':
      return {
        ...s,
        assignee: event.data.agentId,
        department: event.data.department,
        caseFile: { ...caseFileOf(s), assignmentReason: event.data.reason ?? null },
      };
    case 'DisputeNegotiated': {
      const d = event.data;
      const offers = [...s.offers, { action: d.action, party: d.party, remedy: d.remedy, amount: d.amount, note: d.note, at: d.at }];
      const opensOffer = d.action === 'offer' || d.action === 'counter';
      return { ...s, stage: advance(s.stage, 'negotiation'), offers, openOfferIndex: opensOffer ? offers.length - 1 : null };
    }
    case 'DisputeEscalated': {
      const d = event.data;
      // A higher forum supersedes a lower one still pending.
      const forums = s.forums.map((h) => (h.result === null ? { ...h, to: d.at, result: 'failed' as const } : h));
      return {
        ...s,
        base: 'open',
        stage: advance(s.stage, d.forum),
        openOfferIndex: null,
        forums: [...forums, { forum: d.forum, institution: d.institution, from: d.at, to: null, result: null }],
      };
    }
    case 'DisputeMediated':
    case 'DisputeArbitrated':
    case 'DisputeLitigated': {
      const d = event.data;
      const forums = s.forums.map((h) => (h.result === null && h.forum === d.forum ? { ...h, to: d.at, result: d.result } : h));
      return { ...s, forums };
    }
    case 'CompensationProposed': {
      const d = event.data;
      // Schema 1 breach remedies (issue 14): read as entitlements, never as compensations.
      const legacy = legacyRemedy(event, s.filing.channel);
      if (legacy) return { ...s, remedies: [...(s.remedies ?? []), legacy] };
      const compensation: Compensation = {
        compensationId: d.compensationId,
        type: d.type,
        amount: d.amount,
        reason: d.reason,
        basis: d.basis,
        goodwill: d.goodwill,
        requiredApprover: d.requiredApprover,
        status: 'pending_approval',
        proposedAt: d.at,
        approvedAt: null,
        paidAt: null,
      };
      // A new compensation after the case was compensated reopens the payment work, not the stage.
      return { ...s, base: s.base === 'compensated' ? 'open' : s.base, compensations: [...s.compensations, compensation] };
    }
    case 'CompensationApproved':
      if (isRemedy(s, event.data.compensationId)) return s;
      return withCompensation(s, event.data.compensationId, (c) => ({ ...c, status: 'approved', approvedAt: event.data.at }));
    case 'CompensationDeclined':
      return withCompensation(s, event.data.compensationId, (c) => ({ ...c, status: 'declined' }));
    case 'CompensationPaid':
      if (isRemedy(s, event.data.compensationId))
        return evolveRemedies(s, {
          type: 'BreachRemedyDelivered',
          data: {
            ...event.data,
            remedyId: event.data.compensationId,
            breachId: '',
            reference: event.data.paymentReference,
            deliveredBy: '',
          },
        });
      return withCompensation(s, event.data.compensationId, (c) => ({ ...c, status: 'paid', paidAt: event.data.at }));
    case 'DisputeCompensated':
      return { ...s, stage: advance(s.stage, 'compensated'), base: 'compensated' };
    case 'DisputeRejected':
      return {
        ...s,
        base: 'rejected',
        openOfferIndex: null,
        rejection: { reason: event.data.reason, at: event.data.at, escalationDeadline: event.data.escalationDeadline },
      };
    case 'DisputeWithdrawn':
      return { ...s, base: 'withdrawn', withdrawal: { reason: event.data.reason, at: event.data.at } };
    case 'DisputeClosed':
      return {
        ...s,
        stage: 'closed',
        base: 'closed',
        closure: { resolution: event.data.resolution, at: event.data.at, reopenDeadline: event.data.reopenDeadline },
      };
    case 'DisputeReopened':
      // A new cycle: the first-response clock restarts; rungs of the escalation ladder already used stay used.
      return {
        ...s,
        stage: 'filed',
        base: 'open',
        firstResponse: { startedAt: event.data.at, respondedAt: null, recordedAt: null },
        acknowledgement: null,
        openOfferIndex: null,
        rejection: null,
        closure: null,
        feedback: null,
        reopenings: s.reopenings + 1,
      };
    case 'FeedbackReceived':
      return { ...s, feedback: { score: event.data.score, comment: event.data.comment, at: event.data.at } };
    case 'SlaBreached': {
      const d = event.data;
      const breach: Breach = {
        breachId: d.breachId,
        kind: d.kind,
        clockKey: d.clockKey,
        dueAt: d.dueAt,
        detectedAt: d.detectedAt,
        status: 'detected',
        source: d.source,
        assignee: d.assignee,
        department: d.department,
        investigationDueAt: d.investigationDueAt ?? null,
        investigationOverdueAt: null,
      };
      return { ...s, breaches: [...(s.breaches ?? []), breach] };
    }
    case 'SlaBreachConfirmed':
      return withBreach(s, event.data.breachId, 'confirmed');
    case 'SlaBreachExempted':
      return withBreach(s, event.data.breachId, 'exempted');
    // issue 14
    case 'BreachRemedyIssued':
    case 'ApologySent':
    case 'BreachRemedyDelivered':
    case 'BreachRemedyRevoked':
    case 'SlaInvestigationOverdue':
      return evolveRemedies(s, event);
    case 'NoteAdded':
    case 'CustomerContactRecorded':
    case 'EvidenceAttached':
    case 'DisputeEscalatedInternally':
    case 'InternalEscalationAnswered':
      return { ...s, caseFile: evolveCaseFile(caseFileOf(s), event) };
    case 'DisputeTagged':
      return { ...s, tags: [...(s.tags ?? []), ...event.data.tags] };
  }
}

function filed(event: DisputeFiled): DisputeState {
  const d = event.data;
  return {
    id: d.disputeId,
    version: 1,
    stage: 'filed',
    base: 'open',
    filing: {
      customerId: d.customerId,
      orderId: d.orderId,
      productSku: d.productSku,
      channel: d.channel,
      category: d.category,
      description: d.description,
      purchasedAt: d.purchasedAt,
      deliveredAt: d.deliveredAt,
      requestedRemedy: d.requestedRemedy,
      amountClaimed: d.amountClaimed,
      proofOfPurchase: d.proofOfPurchase,
      defectCode: d.defectCode,
      itemIntact: d.itemIntact,
      repeatDefect: d.repeatDefect,
    },
    priority: d.priority,
    suggestedRemedy: d.suggestedRemedy,
    assignee: null,
    department: d.department ?? null,
    filedAt: d.at,
    updatedAt: d.at,
    firstResponse: { startedAt: d.at, respondedAt: null, recordedAt: null },
    acknowledgement: null,
    offers: [],
    openOfferIndex: null,
    forums: [],
    compensations: [],
    rejection: null,
    closure: null,
    withdrawal: null,
    feedback: null,
    reopenings: 0,
    slaPolicyVersion: d.slaPolicyVersion ?? 1,
    peakExtensionPercent: d.peakExtensionPercent ?? 0,
    breaches: [],
    remedies: [],
    caseFile: emptyCaseFile(),
  };
}

function withBreach(s: DisputeState, breachId: string, status: Breach['status']): DisputeState {
  return { ...s, breaches: s.breaches.map((b) => (b.breachId === breachId ? { ...b, status } : b)) };
}

function withCompensation(s: DisputeState, id: string, update: (c: Compensation) => Compensation): DisputeState {
  return { ...s, compensations: s.compensations.map((c) => (c.compensationId === id ? update(c) : c)) };
}

export function foldDispute(events: readonly DisputeEvent[]): DisputeStateOrNone {
  return events.reduce<DisputeStateOrNone>(evolve, initialState());
}
