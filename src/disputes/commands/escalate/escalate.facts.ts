import { LookUpFacts } from '../../application/command-facts';

/** The evidence policy in force: the decider refuses a forum whose enforced evidence is not on file. */
export const escalateFacts: LookUpFacts<'EscalateDispute'> = async (request, _where, sources) => {
  const policy = await sources.evidencePolicy.current();
  return { ...request, evidencePolicy: { version: policy.version, requirements: policy.requirements } };
};
