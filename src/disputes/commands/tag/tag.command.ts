import { Command } from '../../domain/command';

/** Labels on a case (agents and supervisors): lowercase words a team filters and reports by, e.g. `fragile`. */
export type TagDispute = Command<'TagDispute', { tags: string[] }>;

/** What the caller sends: the command's data as is. */
export type TagDisputeRequest = TagDispute['data'];
