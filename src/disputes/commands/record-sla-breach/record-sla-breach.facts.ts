import { conflict } from '../../../shared/errors';
import { breachProof } from '../../../sla/domain/breach-proof';
import { disputeClocks, overdueClocks } from '../../../sla/domain/dispute-clocks';
import { LookUpFacts } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

/**
 * The clock a breach is about, under the dispute's own policy version, and its proof. Automatic detection
 * (the scheduler) names an overdue clock; a complaint names a kind and gets that kind's current clock.
 */
export const recordSlaBreachFacts: LookUpFacts<'RecordSlaBreach'> = async (request, { loaded, context }, sources) => {
  const state = loaded.state;
  const policy = await sources.policies.version(state.slaPolicyVersion ?? 1);
  const automatic = request.source === 'automatic';
  const clocks = automatic ? overdueClocks(state, policy, context.now) : disputeClocks(state, policy);
  const clock = clocks.find((c) =>
    request.source === 'automatic' ? c.key === request.clockKey : c.kind === request.kind && c.kind !== 'payment',
  );
  if (!clock || clock.dueAt === null) {
    throw conflict(
      request.source === 'automatic'
        ? `clock ${String(request.clockKey)} is not overdue`
        : `no running ${String(request.kind)} clock to report`,
    );
  }
  return {
    ...request,
    kind: clock.kind,
    clockKey: clock.key,
    dueAt: clock.dueAt,
    breachId: derivedId(`${state.id}:${clock.key}`, 'breach'),
    proof: breachProof(loaded.events, clock, policy),
  };
};
