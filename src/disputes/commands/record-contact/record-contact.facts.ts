import { LookUpFacts } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

export const recordContactFacts: LookUpFacts<'RecordContact'> = async (request, { commandId }) => ({
  ...request,
  contactId: derivedId(commandId, 'contact'),
});
