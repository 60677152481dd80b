import { Command } from '../../domain/command';

export type CloseDispute = Command<'CloseDispute', { resolution: string }>;

/** What the caller sends: the command's data as is. */
export type CloseDisputeRequest = CloseDispute['data'];
