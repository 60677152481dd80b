import { AuthorityInForce } from '../../domain/authority';
import { Command } from '../../domain/command';
import { Remedy } from '../../domain/dispute.types';
import { Money } from '../../../shared/money';

export type ProposeCompensation = Command<
  'ProposeCompensation',
  {
    compensationId: string;
    type: Remedy;
    amount?: Money;
    reason: string;
    /** Issue 14: money for a material loss a confirmed breach caused stays a compensation, linked to the breach. */
    breachId?: string;
    /** Looked up by the application: this customer's compensated disputes in the abuse window. */
    recentCompensatedDisputes: number;
    /** Looked up (issue 15): the authority policy in force; absent, the built-in limits. */
    authority?: AuthorityInForce;
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type ProposeCompensationRequest = Omit<ProposeCompensation['data'], 'recentCompensatedDisputes' | 'authority'>;
