import { Command } from '../../domain/command';
import { Category, Channel, Priority, Remedy } from '../../domain/dispute.types';
import { Money } from '../../../shared/money';

export type FileDispute = Command<
  'FileDispute',
  {
    disputeId: string;
    customerId: string;
    orderId: string;
    productSku: string;
    channel: Channel;
    category: Category;
    description: string;
    purchasedAt: string;
    deliveredAt?: string;
    requestedRemedy: Remedy;
    amountClaimed?: Money;
    proofOfPurchase?: boolean;
    defectCode?: string;
    itemIntact?: boolean;
    priority?: Priority;
    /** Looked up by the application: earlier disputes on the same order line with the same defect code. */
    earlierSameDefectDisputes: number;
    /** The SLA policy version in force now, and the peak-window extension if filed inside one. */
    slaPolicyVersion?: number;
    peakExtensionPercent?: number;
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type FileDisputeRequest = Omit<
  FileDispute['data'],
  'disputeId' | 'earlierSameDefectDisputes' | 'slaPolicyVersion' | 'peakExtensionPercent'
>;
