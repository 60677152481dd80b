import { Command } from '../../domain/command';

/** `reason` (issue 15): why the case is (re)assigned; optional, so API.md's body keeps working. */
export type AssignDispute = Command<'AssignDispute', { agentId: string; department: string; reason?: string }>;

/** What the caller sends: the command's data as is. */
export type AssignDisputeRequest = AssignDispute['data'];
