import { Command } from '../../domain/command';

export type RejectDispute = Command<'RejectDispute', { reason: string }>;

/** What the caller sends: the command's data as is. */
export type RejectDisputeRequest = RejectDispute['data'];
