import { Command } from '../../domain/command';

export type RecordFeedback = Command<'RecordFeedback', { score: number; comment?: string }>;

/** What the caller sends: the command's data as is. */
export type RecordFeedbackRequest = RecordFeedback['data'];
