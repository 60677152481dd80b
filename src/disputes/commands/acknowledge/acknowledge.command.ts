import { Command } from '../../domain/command';

export type AcknowledgeDispute = Command<
  'AcknowledgeDispute',
  { message: string; complex?: boolean; estimatedResolutionAt?: string; plan?: string; respondedAt?: string }
>;

/** What the caller sends: the command's data as is. */
export type AcknowledgeDisputeRequest = AcknowledgeDispute['data'];
