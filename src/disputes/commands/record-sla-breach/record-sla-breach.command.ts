import { Command } from '../../domain/command';
import { BreachProof } from '../../domain/dispute.events';
import { BreachKind } from '../../../sla/domain/breach-kinds';

export type RecordSlaBreach = Command<
  'RecordSlaBreach',
  {
    breachId: string;
    kind: BreachKind;
    clockKey: string;
    dueAt: string;
    source: 'automatic' | 'complaint';
    proof: BreachProof | null;
    note?: string;
    /** Issue 14: the investigation deadline (3 working days after detection), looked up with the policy. */
    investigationDueAt?: string | null;
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type RecordSlaBreachRequest =
  { source: 'automatic'; clockKey: string; note?: string } | { source: 'complaint'; kind: BreachKind; note?: string };
