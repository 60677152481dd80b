import { Command } from '../../domain/command';

/** An internal note on the case (never shown to the customer). `noteId` is derived from the command id. */
export type AddNote = Command<'AddNote', { text: string; noteId?: string }>;

export type AddNoteRequest = Omit<AddNote['data'], 'noteId'>;
