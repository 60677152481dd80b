import { Command } from '../../domain/command';
import { Forum } from '../../domain/dispute.types';

export type EscalateDispute = Command<'EscalateDispute', { forum: Forum; institution: string; reason: string }>;

/** What the caller sends: the command's data as is. */
export type EscalateDisputeRequest = EscalateDispute['data'];
