import { WORKSPACE_ACTION_NAMES } from '../domain/dispute.decide';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CATEGORIES,
  CHANNELS,
  FORUMS,
  NEGOTIATION_ACTIONS,
  OUTCOME_RESULTS,
  PARTIES,
  PRIORITIES,
  REMEDIES,
  STAGES,
  STATUSES,
} from '../domain/dispute.types';
import { MoneyDto } from './money.dto';
import {
  AcknowledgementDto,
  ComplaintDto,
  ContactPageDto,
  DeadlinesDto,
  EvidenceListDto,
  FeedbackViewDto,
  InternalEscalationDto,
  NotePageDto,
  ResolutionDto,
} from './case-workspace.dto';
import { ACTION_NAMES, ACTION_ROUTES } from '../application/action-routes';
import { CheckpointSummaryDto, DamageDto, IntegrityWarningDto } from '../../audit-trail/audit-trail.dto';

/**
 * Response shapes for the OpenAPI document only (the controller returns toDisputeView's object). Keep in
 * step with dispute-view.ts and http-conventions.ts; test/integration/ops/openapi.e2e.spec.ts compares them.
 */
const ISO = (example: string) => ({ type: String, format: 'date-time', example });

export class SlaBreachDto {
  @ApiProperty({ example: 'b-1' }) breachId: string;
  @ApiProperty({ enum: ['first_response', 'resolution', 'payment'] }) kind: string;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) dueAt: string;
  @ApiProperty(ISO('2026-11-21T10:05:00.000Z')) detectedAt: string;
  @ApiProperty({ enum: ['detected', 'confirmed', 'exempted'] }) status: string;
  // issue 14
  @ApiProperty({
    ...ISO('2026-11-26T10:05:00.000Z'),
    nullable: true,
    description: 'the investigation deadline (3 working days after detection); null for breaches recorded before it existed',
  })
  investigationDueAt: string | null;
  @ApiProperty({ ...ISO('2026-11-26T10:05:00.000Z'), nullable: true, description: 'when the missed deadline was reported' })
  investigationOverdueAt: string | null;
}

/** Issue 14: an apology, coupon or service upgrade a confirmed breach issued. */
export class BreachRemedyViewDto {
  @ApiProperty({ example: 'b-1-apology' }) remedyId: string;
  @ApiProperty() breachId: string;
  @ApiProperty({ enum: ['apology', 'coupon', 'service_upgrade'] }) type: string;
  @ApiProperty({ enum: ['issued', 'delivered', 'revoked'] }) status: string;
  @ApiProperty() reason: string;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: { percent: 10, appliesTo: { amount: 19900, currency: 'CNY' } },
  })
  coupon: unknown;
  @ApiProperty({ nullable: true, type: String }) upgradeUntil: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: { channel: 'email', draft: 'We are sorry…', sentText: null, sentAt: null },
  })
  apology: unknown;
  @ApiProperty({ nullable: true, type: String }) revokedReason: string | null;
}

export class SlaClockDto {
  @ApiProperty({ example: 'first_response', description: 'the clock; a payment clock is keyed per compensation' }) key: string;
  @ApiProperty({ enum: ['first_response', 'resolution', 'payment'] }) kind: string;
  @ApiProperty(ISO('2026-11-21T08:00:00.000Z')) startedAt: string;
  @ApiProperty({ ...ISO('2026-11-21T10:00:00.000Z'), nullable: true }) dueAt: string | null;
  @ApiProperty() running: boolean;
  @ApiProperty({ enum: ['ok', 'at_risk', 'breached', 'met'] }) state: string;
}

export class SlaViewDto {
  @ApiProperty({ type: 'integer', example: 1 }) policyVersion: number;
  @ApiProperty({ example: 0, description: 'the peak-window extension in force at filing (0–50 %)' }) peakExtensionPercent: number;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) firstResponseDueAt: string;
  @ApiProperty({ ...ISO('2026-11-21T09:12:00.000Z'), nullable: true }) firstRespondedAt: string | null;
  @ApiProperty({ ...ISO('2026-12-05T10:00:00.000Z'), nullable: true }) resolutionDueAt: string | null;
  @ApiProperty({ enum: ['ok', 'at_risk', 'breached', 'met'] }) state: string;
  @ApiProperty({ type: [SlaClockDto] }) clocks: SlaClockDto[];
  @ApiProperty({ type: [SlaBreachDto] }) breaches: SlaBreachDto[];
  // issue 14
  @ApiProperty({ type: [BreachRemedyViewDto], description: 'what confirmed breaches owe the customer: entitlements, never payouts' })
  remedies: BreachRemedyViewDto[];
}

export class CompensationViewDto {
  @ApiProperty({ example: '2f1c9a4e-0b7d-5e21-a3c4-9d8e7f6a5b4c' }) compensationId: string;
  @ApiProperty({ enum: REMEDIES, example: 'refund' }) type: string;
  @ApiProperty({ type: MoneyDto, nullable: true }) amount: MoneyDto | null;
  @ApiProperty({ enum: ['pending_approval', 'approved', 'paid', 'declined'] }) status: string;
  @ApiProperty({ enum: ['proposal', 'negotiation', 'mediation', 'arbitration', 'litigation', 'sla_breach'] }) basis: string;
  @ApiProperty({ description: 'outside every eligibility window' }) goodwill: boolean;
  @ApiProperty({ enum: ['agent', 'senior_agent', 'supervisor', 'manager'] }) requiredApprover: string;
}

export class OfferViewDto {
  @ApiProperty({ enum: NEGOTIATION_ACTIONS }) action: string;
  @ApiProperty({ enum: PARTIES }) party: string;
  @ApiProperty({ enum: REMEDIES, nullable: true }) remedy: string | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) amount: MoneyDto | null;
  @ApiProperty(ISO('2026-11-22T08:00:00.000Z')) at: string;
}

export class ForumHoldDto {
  @ApiProperty({ enum: FORUMS }) forum: string;
  @ApiProperty({ example: 'Marketplace platform' }) institution: string;
  @ApiProperty(ISO('2026-11-23T08:00:00.000Z')) from: string;
  @ApiProperty({ ...ISO('2026-11-30T08:00:00.000Z'), nullable: true }) to: string | null;
  @ApiProperty({ enum: OUTCOME_RESULTS, nullable: true }) result: string | null;
}

const ACTION_TABLE = ACTION_NAMES.map((a) => `\`${a}\` → POST ${ACTION_ROUTES[a].path} (${ACTION_ROUTES[a].operationId})`).join('; ');

export class DisputeActionDto {
  @ApiProperty({ enum: ACTION_NAMES, example: 'approve_compensation' }) action: string;
  @ApiProperty({ example: 'approveCompensation', description: 'the operation that performs it' }) operationId: string;
  @ApiProperty({ enum: ['POST'] }) method: string;
  @ApiProperty({ example: '/api/v1/disputes/6c0e…/compensations/2f1c…/approve', description: 'the route, ids filled in' }) path: string;
  @ApiPropertyOptional({ description: 'the compensation it applies to (approve, decline, pay)' }) compensationId?: string;
  @ApiPropertyOptional({ description: 'the breach it applies to (confirm, exempt)' }) breachId?: string;
  @ApiPropertyOptional({ description: 'the remedy it applies to (send an apology, deliver a coupon or upgrade)' }) remedyId?: string;
}

export class DisputeViewDto {
  @ApiProperty({ example: '6c0e2b1a-8d3f-4e5a-9b7c-1d2e3f4a5b6c' }) id: string;
  @ApiProperty({ example: '6c0e2b1a-8d3f-4e5a-9b7c-1d2e3f4a5b6c', description: 'the same as `id`, under the name queues and events use' })
  disputeId: string;
  @ApiProperty({ type: 'integer', example: 4, description: 'number of events; sent as ETag' }) version: number;
  @ApiProperty({ enum: STAGES }) stage: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ example: 'c-1' }) customerId: string;
  @ApiProperty({ example: 'o-1' }) orderId: string;
  @ApiProperty({ example: 'kettle-2l' }) productSku: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ enum: CATEGORIES }) category: string;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  @ApiProperty({ type: String, nullable: true, example: 'agent-1' }) assignee: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'after-sales' }) department: string | null;
  @ApiProperty({ enum: REMEDIES }) requestedRemedy: string;
  @ApiProperty({ type: MoneyDto, nullable: true }) amountClaimed: MoneyDto | null;
  @ApiProperty({ description: 'same order line and defect filed before' }) repeatDefect: boolean;
  @ApiProperty() sla: SlaViewDto;
  @ApiProperty({ type: [CompensationViewDto] }) compensations: CompensationViewDto[];
  @ApiProperty({ type: [OfferViewDto] }) offers: OfferViewDto[];
  @ApiProperty({ type: [ForumHoldDto] }) forums: ForumHoldDto[];
  @ApiProperty({ example: 'return or exchange; partial refund if the customer keeps the item' }) suggestedRemedy: string;
  @ApiProperty({
    enum: ACTION_NAMES,
    isArray: true,
    example: ['acknowledge', 'assign', 'escalate', 'propose_compensation', 'reject', 'withdraw', 'close'],
    description: `the write actions this stage allows for the caller's roles; each is the route: ${ACTION_TABLE}`,
  })
  allowedActions: string[];
  @ApiProperty({
    type: [DisputeActionDto],
    description: '`allowedActions` as calls: one per action, and one per compensation, breach or remedy an action applies to',
  })
  actions: DisputeActionDto[];
  @ApiProperty(ISO('2026-11-21T08:00:00.000Z')) filedAt: string;
  @ApiProperty(ISO('2026-11-21T09:12:00.000Z')) updatedAt: string;
  @ApiProperty({ type: [String], example: ['fragile', 'repeat-customer'], description: 'labels, in the order they were added' })
  tags: string[];
  // The agent's case workspace (issue 15): additive.
  @ApiProperty({ type: ComplaintDto }) complaint: ComplaintDto;
  @ApiProperty({ type: AcknowledgementDto, nullable: true }) acknowledgement: AcknowledgementDto | null;
  @ApiProperty({ type: DeadlinesDto }) deadlines: DeadlinesDto;
  @ApiProperty({ type: ResolutionDto }) resolution: ResolutionDto;
  @ApiProperty({ type: FeedbackViewDto, nullable: true }) feedback: FeedbackViewDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the case was last (re)assigned' }) assignmentReason: string | null;
  @ApiProperty({ type: NotePageDto, description: 'the first page; more at GET /disputes/:id/notes' }) notes: NotePageDto;
  @ApiProperty({ type: ContactPageDto, description: 'the first page; more at GET /disputes/:id/contacts' }) contacts: ContactPageDto;
  @ApiProperty({ type: EvidenceListDto }) evidence: EvidenceListDto;
  @ApiProperty({ type: InternalEscalationDto, nullable: true, description: 'waiting for a supervisor' })
  internalEscalation: InternalEscalationDto | null;
  @ApiProperty({
    enum: WORKSPACE_ACTION_NAMES,
    isArray: true,
    example: ['add_note', 'record_contact', 'attach_evidence', 'escalate_internally'],
    description: 'the workspace writes the caller may make now; each is a route of the `allowedActions` table',
  })
  workspaceActions: string[];
  @ApiPropertyOptional({ description: 'present only when the case failed tamper-evidence verification' })
  integrity?: IntegrityWarningDto;
}

export class ProposedCompensationViewDto extends DisputeViewDto {
  @ApiProperty({ example: '2f1c9a4e-0b7d-5e21-a3c4-9d8e7f6a5b4c' }) compensationId: string;
  @ApiProperty({ enum: ['approved', 'pending_approval'] }) compensationStatus: string;
}

export class DisputeListDto {
  @ApiProperty({ type: [DisputeViewDto] }) items: DisputeViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'opaque; pass as `cursor` for the next page' }) nextCursor: string | null;
  @ApiProperty({ example: 42, description: 'how many disputes the filters match (every page)' }) total: number;
}

export class EventMetadataDto {
  @ApiProperty({ example: 'agent-1' }) actorId: string;
  @ApiProperty({ type: [String], example: ['agent'] }) actorRoles: string[];
  @ApiProperty() commandId: string;
  @ApiPropertyOptional({ example: 'AcknowledgeDispute' }) commandType?: string;
  @ApiProperty() correlationId: string;
  @ApiProperty({ type: String, nullable: true }) causationId: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 1 }) policyVersion: number | null;
  @ApiProperty({ example: 1 }) schemaVersion: number;
  @ApiPropertyOptional({ description: 'with an Idempotency-Key: the request fingerprint that tells a retry from a reuse' })
  requestFingerprint?: string;
}

export class EventViewDto {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'DisputeAcknowledged' }) type: string;
  @ApiProperty({ example: 'dispute-6c0e2b1a-8d3f-4e5a-9b7c-1d2e3f4a5b6c' }) streamId: string;
  @ApiProperty({ example: 1, description: "0-based position in the dispute's stream" }) revision: number;
  @ApiProperty({ example: 1042, description: 'position in the global log' }) position: number;
  @ApiProperty(ISO('2026-11-21T09:12:00.000Z')) occurredAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() metadata: EventMetadataDto;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }) hash: string;
  @ApiProperty({ type: String, nullable: true }) prevHash: string | null;
}

export class EventListDto {
  @ApiProperty({ type: [EventViewDto] }) items: EventViewDto[];
  @ApiPropertyOptional({ description: 'present only when the case failed tamper-evidence verification' })
  integrity?: IntegrityWarningDto;
}

export class EventPageDto {
  @ApiProperty({ type: [EventViewDto] }) items: EventViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'opaque; pass as `cursor` for the next page' }) nextCursor: string | null;
}

export class HistoryDto {
  @ApiProperty(ISO('2026-11-25T00:00:00.000Z')) asOf: string;
  @ApiPropertyOptional({
    enum: ['asOf', 'revision'],
    description:
      'asOf: the events that occurred by that moment; revision: the events up to that revision as recorded (asOf is then when its last event occurred)',
  })
  by?: 'asOf' | 'revision';
  @ApiPropertyOptional({ example: 3 }) revision?: number;
  @ApiProperty({ type: DisputeViewDto, nullable: true, description: 'null when the dispute did not exist yet' })
  state: DisputeViewDto | null;
  @ApiProperty({ type: [EventViewDto] }) events: EventViewDto[];
}

export class ChainVerificationDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ example: 16 }) events: number;
  @ApiPropertyOptional({ example: 7 }) firstInvalidRevision?: number;
  @ApiProperty({ type: [DamageDto] }) damages: DamageDto[];
  @ApiProperty({ type: CheckpointSummaryDto, nullable: true, description: 'the signed checkpoint checked against' })
  checkpoint: CheckpointSummaryDto | null;
  @ApiProperty({ type: 'integer', nullable: true }) coveredRevision: number | null;
  @ApiProperty({ type: 'integer' }) eventsAfterCheckpoint: number;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) checkedAt: string;
}
