import { Command } from '../../domain/command';

export type DeclineCompensation = Command<'DeclineCompensation', { compensationId: string; reason: string }>;

/** What the caller sends: the command's data as is. */
export type DeclineCompensationRequest = DeclineCompensation['data'];
