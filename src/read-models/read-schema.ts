/**
 * The read store's tables, for Kysely. Portable between SQLite and PostgreSQL on purpose: times are ISO-8601
 * UTC text (they sort as text), flags are 0/1 integers, documents are JSON text.
 */
export interface ProjectionCheckpointTable {
  name: string;
  position: number;
  updated_at: string;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  fingerprint: string;
  status_code: number;
  headers: string;
  body: string;
  created_at: string;
}

export interface DisputeRowTable {
  dispute_id: string;
  customer_id: string;
  order_id: string;
  product_sku: string;
  defect_code: string | null;
  channel: string;
  category: string;
  priority: string;
  priority_rank: number;
  stage: string;
  status: string;
  assignee: string | null;
  department: string | null;
  filed_at: string;
  updated_at: string;
  version: number;
  /** The clock the queue orders by: first_response, payment, resolution, or null when nothing runs. */
  due_kind: string | null;
  due_at: string | null;
  at_risk_at: string | null;
  /** Daily check-list flags, JSON array of strings. */
  checklist: string;
  suggested_remedy: string;
  acknowledged_at: string | null;
  negotiated_at: string | null;
  mediated_at: string | null;
  arbitrated_at: string | null;
  litigated_at: string | null;
  compensated_at: string | null;
  closed_at: string | null;
  rejected_at: string | null;
  withdrawn_at: string | null;
  resolved_at: string | null;
  /** Seconds from filing to the first response (first cycle), for response-time reports. */
  first_response_seconds: number | null;
  /** The folded dispute state (JSON), so the next event can evolve it. */
  state: string;
}

export interface CustomerCompensationTable {
  dispute_id: string;
  customer_id: string;
  compensated_at: string;
}

export interface CompensationRowTable {
  compensation_id: string;
  dispute_id: string;
  customer_id: string;
  type: string;
  category: string;
  department: string | null;
  basis: string;
  amount: number;
  currency: string;
  status: string;
  proposed_at: string;
  approved_at: string | null;
  paid_at: string | null;
}

export interface AuditEventTable {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  actor_id: string;
  occurred_at: string;
  event: string;
}

export interface SlaDeadlineTable {
  dispute_id: string;
  clock_key: string;
  kind: string;
  due_at: string;
}

export interface SlaBreachTable {
  breach_id: string;
  dispute_id: string;
  kind: string;
  clock_key: string;
  channel: string;
  category: string;
  assignee: string | null;
  department: string | null;
  due_at: string;
  detected_at: string;
  status: string;
  source: string;
}

export interface SlaPenaltyTable {
  /** `<breachId>:<subject type>` */
  penalty_id: string;
  breach_id: string;
  subject_type: string;
  subject_id: string;
  channel: string | null;
  month: string;
  points: number;
  actions: string;
  applied_at: string;
  reversed_at: string | null;
}

export interface ReadSchema {
  projection_checkpoints: ProjectionCheckpointTable;
  idempotency_keys: IdempotencyKeyTable;
  disputes: DisputeRowTable;
  customer_compensations: CustomerCompensationTable;
  compensations: CompensationRowTable;
  audit_events: AuditEventTable;
  sla_deadlines: SlaDeadlineTable;
  sla_breaches: SlaBreachTable;
  sla_penalties: SlaPenaltyTable;
}
