import { Command } from '../../domain/command';

/** The supervisor takes the escalated case (it is assigned to them) or returns it to the agent with guidance. */
export type AnswerInternalEscalation = Command<'AnswerInternalEscalation', { outcome: 'taken' | 'returned'; guidance?: string }>;

export type AnswerInternalEscalationRequest = AnswerInternalEscalation['data'];
