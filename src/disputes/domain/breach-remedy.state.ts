import { BreachRemedyEvent } from './breach-remedy.events';
import { CompensationProposed } from './dispute.events';
import { Channel } from './dispute.types';
import { BreachRemedyType, COUPON_PERCENT, upgradeUntil } from '../../sla/domain/breach-remedies';
import { Money } from '../../shared/money';

/** What the customer was issued for a confirmed breach, and where it stands (issue 14). */
export interface BreachRemedyState {
  remedyId: string;
  breachId: string;
  type: BreachRemedyType;
  reason: string;
  status: 'issued' | 'delivered' | 'revoked';
  issuedAt: string;
  coupon: { percent: number; appliesTo: Money | null } | null;
  upgradeUntil: string | null;
  apology: { channel: Channel; draft: string; sentText: string | null; sentAt: string | null } | null;
  deliveredAt: string | null;
  revoked: { reason: string; at: string } | null;
}

/** The part of the dispute state these events touch. */
export interface RemedyHolder {
  remedies?: BreachRemedyState[];
  breaches: { breachId: string; investigationOverdueAt?: string | null }[];
  filing: { channel: Channel };
}

const LEGACY_TYPES: readonly string[] = ['apology', 'coupon', 'service_upgrade'];

/**
 * Upcaster of the first schema: a breach remedy used to be granted as an approved compensation
 * (`CompensationProposed` with basis `sla_breach`, then an automatic `CompensationApproved`). Its meaning
 * (the customer is owed this remedy) is kept; it is read as an issued entitlement, not as a payout.
 */
export function legacyRemedy(event: CompensationProposed, channel: Channel): BreachRemedyState | null {
  const d = event.data;
  if (d.basis !== 'sla_breach' || !LEGACY_TYPES.includes(d.type)) return null;
  const type = d.type as BreachRemedyType;
  return {
    remedyId: d.compensationId,
    breachId: d.compensationId.replace(/-(apology|coupon|upgrade)$/, ''),
    type,
    reason: d.reason,
    status: 'issued',
    issuedAt: d.at,
    coupon: type === 'coupon' ? { percent: COUPON_PERCENT, appliesTo: null } : null,
    upgradeUntil: type === 'service_upgrade' ? upgradeUntil(d.at) : null,
    apology: type === 'apology' ? { channel, draft: d.reason, sentText: null, sentAt: null } : null,
    deliveredAt: null,
    revoked: null,
  };
}

export const isRemedy = (s: RemedyHolder, id: string) => (s.remedies ?? []).some((r) => r.remedyId === id);

export function evolveRemedies<S extends RemedyHolder>(s: S, event: BreachRemedyEvent): S {
  const remedies = s.remedies ?? [];
  const update = (id: string, f: (r: BreachRemedyState) => BreachRemedyState): S => ({
    ...s,
    remedies: remedies.map((r) => (r.remedyId === id ? f(r) : r)),
  });
  switch (event.type) {
    case 'BreachRemedyIssued': {
      const d = event.data;
      const remedy: BreachRemedyState = {
        remedyId: d.remedyId,
        breachId: d.breachId,
        type: d.remedy,
        reason: d.reason,
        status: 'issued',
        issuedAt: d.at,
        coupon: d.coupon,
        upgradeUntil: d.upgradeUntil,
        apology: d.apology ? { ...d.apology, sentText: null, sentAt: null } : null,
        deliveredAt: null,
        revoked: null,
      };
      return { ...s, remedies: [...remedies, remedy] };
    }
    case 'ApologySent': {
      const d = event.data;
      return update(d.remedyId, (r) => ({
        ...r,
        status: 'delivered',
        deliveredAt: d.at,
        apology: { channel: d.channel, draft: r.apology?.draft ?? '', sentText: d.text, sentAt: d.at },
      }));
    }
    case 'BreachRemedyDelivered':
      return update(event.data.remedyId, (r) => ({ ...r, status: 'delivered', deliveredAt: event.data.at }));
    case 'BreachRemedyRevoked':
      return update(event.data.remedyId, (r) => ({ ...r, status: 'revoked', revoked: { reason: event.data.reason, at: event.data.at } }));
    case 'SlaInvestigationOverdue':
      return {
        ...s,
        breaches: s.breaches.map((b) => (b.breachId === event.data.breachId ? { ...b, investigationOverdueAt: event.data.at } : b)),
      };
  }
}
