import { Command } from '../../domain/command';

export type AssignDispute = Command<'AssignDispute', { agentId: string; department: string }>;

/** What the caller sends: the command's data as is. */
export type AssignDisputeRequest = AssignDispute['data'];
