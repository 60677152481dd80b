import { AuthorityInForce } from '../../domain/authority';
import { Command } from '../../domain/command';
import { Forum, OutcomeResult } from '../../domain/dispute.types';
import { Money } from '../../../shared/money';

export type RecordOutcome = Command<
  'RecordOutcome',
  {
    forum: Forum;
    result: OutcomeResult;
    amount?: Money;
    terms?: string;
    /** Used when a settlement, award or judgment becomes an agreed compensation. */
    compensationId: string;
    recentCompensatedDisputes: number;
    /** Looked up (issue 15): the authority policy in force; absent, the built-in limits. */
    authority?: AuthorityInForce;
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type RecordOutcomeRequest = Omit<RecordOutcome['data'], 'compensationId' | 'recentCompensatedDisputes' | 'authority'> & {
  compensationId?: string;
};
