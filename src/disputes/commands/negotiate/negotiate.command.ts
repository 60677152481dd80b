import { AuthorityInForce } from '../../domain/authority';
import { Command } from '../../domain/command';
import { NegotiationAction, Party, Remedy } from '../../domain/dispute.types';
import { Money } from '../../../shared/money';

export type NegotiateDispute = Command<
  'NegotiateDispute',
  {
    action: NegotiationAction;
    party: Party;
    remedy?: Remedy;
    amount?: Money;
    note?: string;
    /** Used when an accepted offer becomes an agreed compensation. */
    compensationId: string;
    recentCompensatedDisputes: number;
    /** Looked up (issue 15): the authority policy in force; absent, the built-in limits. */
    authority?: AuthorityInForce;
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type NegotiateDisputeRequest = Omit<NegotiateDispute['data'], 'compensationId' | 'recentCompensatedDisputes' | 'authority'> & {
  compensationId?: string;
};
