import { Command } from '../../domain/command';

export type WithdrawDispute = Command<'WithdrawDispute', { reason: string }>;

/** What the caller sends: the command's data as is. */
export type WithdrawDisputeRequest = WithdrawDispute['data'];
