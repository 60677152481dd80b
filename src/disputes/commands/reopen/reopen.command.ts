import { Command } from '../../domain/command';

export type ReopenDispute = Command<'ReopenDispute', { reason: string }>;

/** What the caller sends: the command's data as is. */
export type ReopenDisputeRequest = ReopenDispute['data'];
