import { LookUpFacts } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

export const escalateInternallyFacts: LookUpFacts<'EscalateInternally'> = async (request, { commandId }) => ({
  ...request,
  escalationId: derivedId(commandId, 'internal-escalation'),
});
