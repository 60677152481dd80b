import { Command } from '../../domain/command';

/** Issue 14: the scheduler reports a breach whose 3-working-day investigation deadline passed undecided. */
export type RecordInvestigationOverdue = Command<'RecordInvestigationOverdue', { breachId: string }>;

export type RecordInvestigationOverdueRequest = RecordInvestigationOverdue['data'];
