import { Command } from '../../domain/command';

export type ApproveCompensation = Command<'ApproveCompensation', { compensationId: string; note?: string }>;

/** What the caller sends: the command's data as is. */
export type ApproveCompensationRequest = ApproveCompensation['data'];
