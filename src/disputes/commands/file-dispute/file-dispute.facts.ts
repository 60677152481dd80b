import { DisputeStateOrNone } from '../../domain/dispute.state';
import { LookUpFacts } from '../../application/command-facts';
import { peakExtensionPercent } from '../../../sla/domain/sla-clock';

/** Earlier disputes on the same order line with the same defect; the SLA policy (and peak extension) in force now. */
export const fileDisputeFacts: LookUpFacts<'FileDispute', DisputeStateOrNone> = async (request, { disputeId, context }, sources) => {
  const { defectCode } = request;
  const earlierSameDefectDisputes = defectCode
    ? await sources.cautious('repeated-defect lookup', 0, () =>
        sources.facts.earlierSameDefect(request.orderId, request.productSku, defectCode),
      )
    : 0;
  // The dispute keeps the policy in force now, and a peak window's extension if filed inside one.
  const policy = await sources.policies.refresh();
  return {
    ...request,
    disputeId,
    earlierSameDefectDisputes,
    slaPolicyVersion: policy.current.version,
    peakExtensionPercent: peakExtensionPercent(new Date(context.now), policy.peakWindows),
  };
};
