import { CheckpointSchema } from '../read-side/engine/checkpoints';
import { AuditSchema } from './audit/audit.tables';
import { DisputesSchema } from './disputes/disputes.tables';
import { PenaltiesSchema } from './penalties/penalties.tables';
import { SlaSupervisionSchema } from './sla-supervision/sla-supervision.tables';
import { DisputeSearchSchema } from './dispute-search/dispute-search.tables';

export type {
  DisputeRowTable,
  CustomerCompensationTable,
  CompensationRowTable,
  SlaDeadlineTable,
  SlaBreachTable,
} from './disputes/disputes.tables';
export type { AuditEventTable } from './audit/audit.tables';
export type { SlaPenaltyTable } from './penalties/penalties.tables';
export type { SlaRemedyTable, SlaInvestigationTable } from './sla-supervision/sla-supervision.tables';

/**
 * Every read model's tables, for queries that read across them (Kysely). Each read model declares its own
 * tables next to its projection; the engine's checkpoints are its own. Portable between SQLite and PostgreSQL
 * on purpose: times are ISO-8601 UTC text (they sort as text), flags are 0/1 integers, documents are JSON text.
 */
export type ReadSchema = CheckpointSchema & DisputesSchema & AuditSchema & PenaltiesSchema & SlaSupervisionSchema & DisputeSearchSchema;
