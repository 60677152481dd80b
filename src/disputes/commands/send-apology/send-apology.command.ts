import { Command } from '../../domain/command';
import { Channel } from '../../domain/dispute.types';

/** Issue 14: the agent sends the breach apology through a channel, with the text the customer received. */
export type SendApology = Command<'SendApology', { remedyId: string; channel: Channel; text: string }>;

export type SendApologyRequest = SendApology['data'];
