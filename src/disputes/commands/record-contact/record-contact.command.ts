import { Command } from '../../domain/command';
import { ContactChannel, ContactDirection } from '../../domain/case-file.types';

/** A contact with the customer: who called whom, on which channel, what was said or promised. */
export type RecordContact = Command<
  'RecordContact',
  {
    channel: ContactChannel;
    direction: ContactDirection;
    /** When it happened; defaults to now. Not in the future, not before filing. */
    at?: string;
    summary: string;
    promises?: string;
    contactId?: string;
  }
>;

export type RecordContactRequest = Omit<RecordContact['data'], 'contactId'>;
