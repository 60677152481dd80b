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
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type RecordOutcomeRequest = Omit<RecordOutcome['data'], 'compensationId' | 'recentCompensatedDisputes'> & {
  compensationId?: string;
};
