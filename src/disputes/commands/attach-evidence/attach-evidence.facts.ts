import { LookUpFacts } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

export const attachEvidenceFacts: LookUpFacts<'AttachEvidence'> = async (request, { commandId }) => ({
  ...request,
  evidenceId: derivedId(commandId, 'evidence'),
});
