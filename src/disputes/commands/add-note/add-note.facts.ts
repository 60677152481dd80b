import { LookUpFacts } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

/** The note's id, derived from the command id: a retried command writes the same note. */
export const addNoteFacts: LookUpFacts<'AddNote'> = async (request, { commandId }) => ({
  ...request,
  noteId: derivedId(commandId, 'note'),
});
