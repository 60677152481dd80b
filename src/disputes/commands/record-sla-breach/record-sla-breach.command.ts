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
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type RecordSlaBreachRequest =
  { source: 'automatic'; clockKey: string; note?: string } | { source: 'complaint'; kind: BreachKind; note?: string };
