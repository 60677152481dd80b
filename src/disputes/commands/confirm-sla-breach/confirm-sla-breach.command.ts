import { Command } from '../../domain/command';

export type ConfirmSlaBreach = Command<'ConfirmSlaBreach', { breachId: string; reason: string }>;

/** What the caller sends: the command's data as is. */
export type ConfirmSlaBreachRequest = ConfirmSlaBreach['data'];
