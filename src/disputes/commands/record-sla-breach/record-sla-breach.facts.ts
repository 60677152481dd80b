import { conflict } from '../../../shared/errors';
import { breachProof } from '../../../sla/domain/breach-proof';
import { DisputeClock, disputeClocks, overdueClocks } from '../../../sla/domain/dispute-clocks';
import { addWorkingDays } from '../../../sla/domain/business-calendar';
import { DisputeState } from '../../domain/dispute.state';
import { LookUpFacts } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

/** DOMAIN.md: the supervision team investigates a detected breach within 3 working days. */
export const INVESTIGATION_WORKING_DAYS = 3;

/**
 * The clock a breach is about, under the dispute's own policy version, and its proof. Automatic detection
 * (the scheduler) names an overdue clock; a complaint names a kind and is checked against that kind's current
 * clock: refused, with the reason, when it is not yet due or was met in time (issue 14).
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
  if (!automatic) assertComplaintHolds(state, clock, context.now);
  return {
    ...request,
    kind: clock.kind,
    clockKey: clock.key,
    dueAt: clock.dueAt,
    breachId: derivedId(`${state.id}:${clock.key}`, 'breach'),
    proof: breachProof(loaded.events, clock, policy),
    investigationDueAt: addWorkingDays(new Date(context.now), INVESTIGATION_WORKING_DAYS, policy.businessCalendar).toISOString(),
  };
};

/** A complaint is a breach only if the clock was due before now and had not stopped by its due time. */
function assertComplaintHolds(state: DisputeState, clock: DisputeClock, now: string): void {
  const due = clock.dueAt!;
  if (clock.running && Date.parse(due) > Date.parse(now)) {
    throw conflict(`the ${clock.kind} clock is not yet due: it is due at ${due}`);
  }
  if (!clock.running) {
    const stoppedAt =
      clock.kind === 'first_response'
        ? state.firstResponse.respondedAt
        : (state.closure?.at ?? state.withdrawal?.at ?? state.rejection?.at ?? state.updatedAt);
    if (stoppedAt !== null && Date.parse(stoppedAt) <= Date.parse(due)) {
      throw conflict(`the ${clock.kind} clock was met: it stopped at ${stoppedAt}, before its due time ${due}`);
    }
  }
}
