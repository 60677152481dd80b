import { Command } from '../../domain/command';

export type ExemptSlaBreach = Command<'ExemptSlaBreach', { breachId: string; reason: string }>;

/** What the caller sends: the command's data as is. */
export type ExemptSlaBreachRequest = ExemptSlaBreach['data'];
