import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { Projection, ProjectionChange, TableNames } from '../../read-side/engine/projection';
import { CHUNK, upsertRows } from '../../read-side/engine/bulk-write';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { legacyRemedy } from '../../disputes/domain/breach-remedy.state';
import {
  createSlaSupervisionIndexes,
  createSlaSupervisionTables,
  SLA_SUPERVISION_TABLES,
  SlaInvestigationTable,
  SlaRemedyTable,
  SlaSupervisionTable,
} from './sla-supervision.tables';

type Tables = SlaSupervisionTable;
const REMEDY_EVENTS = new Set(['BreachRemedyIssued', 'ApologySent', 'BreachRemedyDelivered', 'BreachRemedyRevoked']);
const BREACH_EVENTS = new Set(['SlaBreached', 'SlaBreachConfirmed', 'SlaBreachExempted', 'SlaInvestigationOverdue']);
const LEGACY_EVENTS = new Set(['CompensationProposed', 'CompensationPaid']);
const LEGACY_SUFFIX = /-(apology|coupon|upgrade)$/;

/**
 * Issue 14: breach remedies (what stands, what was delivered, what was revoked, with their value) and the
 * investigation queue, from dispute events alone. A batch loads the rows it touches, folds, upserts.
 */
export class SlaSupervisionProjection implements Projection<Tables> {
  readonly name = 'sla-supervision';
  readonly tables = SLA_SUPERVISION_TABLES;

  createTables(db: Kysely<any>, names: TableNames<Tables>, options?: { indexes?: boolean }): Promise<void> {
    return createSlaSupervisionTables(db, names, options);
  }

  createIndexes(db: Kysely<any>, names: TableNames<Tables>): Promise<void> {
    return createSlaSupervisionIndexes(db, names);
  }

  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<Tables>): Promise<ProjectionChange[]> {
    const mine = events.filter(
      (e) => e.streamId.startsWith('dispute-') && (REMEDY_EVENTS.has(e.type) || BREACH_EVENTS.has(e.type) || LEGACY_EVENTS.has(e.type)),
    );
    if (mine.length === 0) return [];
    const remedyIds = [...new Set(mine.map((e) => (e.data.remedyId ?? e.data.compensationId) as string | undefined).filter(Boolean))];
    // Breaches touched, and those of schema 1 remedies (whose department and agent their investigation row knows).
    const breachIds = [
      ...new Set([
        ...mine.filter((e) => BREACH_EVENTS.has(e.type)).map((e) => e.data.breachId as string),
        ...mine.filter((e) => e.type === 'CompensationProposed').map((e) => String(e.data.compensationId).replace(LEGACY_SUFFIX, '')),
      ]),
    ];
    const remedies = new Map<string, SlaRemedyTable>();
    const investigations = new Map<string, SlaInvestigationTable>();
    for (let i = 0; i < remedyIds.length; i += CHUNK)
      for (const row of (await trx
        .selectFrom(n.sla_remedies)
        .selectAll()
        .where('remedy_id', 'in', remedyIds.slice(i, i + CHUNK) as string[])
        .execute()) as SlaRemedyTable[])
        remedies.set(row.remedy_id, { ...row, applies_to_amount: row.applies_to_amount === null ? null : Number(row.applies_to_amount) });
    for (let i = 0; i < breachIds.length; i += CHUNK)
      for (const row of (await trx
        .selectFrom(n.sla_investigations)
        .selectAll()
        .where('breach_id', 'in', breachIds.slice(i, i + CHUNK))
        .execute()) as SlaInvestigationTable[])
        investigations.set(row.breach_id, row);
    const touchedRemedies = new Set<string>();
    const touchedInvestigations = new Set<string>();
    for (const stored of mine) {
      const event = { type: stored.type, data: stored.data } as DisputeEvent;
      const id = remediesOf(event, remedies, investigations);
      if (id) touchedRemedies.add(id);
      const breach = investigationOf(event, investigations);
      if (breach) touchedInvestigations.add(breach);
    }
    await upsertRows(
      trx,
      n.sla_remedies,
      'remedy_id',
      [...touchedRemedies].map((id) => remedies.get(id)!),
    );
    await upsertRows(
      trx,
      n.sla_investigations,
      'breach_id',
      [...touchedInvestigations].map((id) => investigations.get(id)!),
    );
    return [];
  }
}

function remediesOf(event: DisputeEvent, rows: Map<string, SlaRemedyTable>, breaches: Map<string, SlaInvestigationTable>): string | null {
  const update = (id: string, patch: Partial<SlaRemedyTable>) => {
    const row = rows.get(id);
    if (!row) return null;
    rows.set(id, { ...row, ...patch });
    return id;
  };
  switch (event.type) {
    case 'BreachRemedyIssued': {
      const d = event.data;
      rows.set(d.remedyId, {
        remedy_id: d.remedyId,
        breach_id: d.breachId,
        dispute_id: d.disputeId,
        type: d.remedy,
        status: 'issued',
        issued_at: d.at,
        delivered_at: null,
        revoked_at: null,
        revoke_reason: null,
        coupon_percent: d.coupon?.percent ?? null,
        applies_to_amount: d.coupon?.appliesTo?.amount ?? null,
        currency: d.coupon?.appliesTo?.currency ?? null,
        upgrade_until: d.upgradeUntil,
        channel: d.apology?.channel ?? null,
        department: d.department,
        assignee: d.assignee,
      });
      return d.remedyId;
    }
    case 'CompensationProposed': {
      // Schema 1 breach remedies (approved compensations with basis sla_breach), read as issued entitlements.
      const legacy = legacyRemedy(event, 'web');
      if (!legacy) return null;
      const breach = breaches.get(legacy.breachId);
      rows.set(legacy.remedyId, {
        remedy_id: legacy.remedyId,
        breach_id: legacy.breachId,
        dispute_id: event.data.disputeId,
        type: legacy.type,
        status: 'issued',
        issued_at: legacy.issuedAt,
        delivered_at: null,
        revoked_at: null,
        revoke_reason: null,
        coupon_percent: legacy.coupon?.percent ?? null,
        applies_to_amount: null,
        currency: null,
        upgrade_until: legacy.upgradeUntil,
        channel: null,
        department: breach?.department ?? null,
        assignee: breach?.assignee ?? null,
      });
      return legacy.remedyId;
    }
    case 'CompensationPaid':
      return update(event.data.compensationId, { status: 'delivered', delivered_at: event.data.at });
    case 'ApologySent':
      return update(event.data.remedyId, { status: 'delivered', delivered_at: event.data.at, channel: event.data.channel });
    case 'BreachRemedyDelivered':
      return update(event.data.remedyId, { status: 'delivered', delivered_at: event.data.at });
    case 'BreachRemedyRevoked':
      return update(event.data.remedyId, { status: 'revoked', revoked_at: event.data.at, revoke_reason: event.data.reason });
    default:
      return null;
  }
}

function investigationOf(event: DisputeEvent, rows: Map<string, SlaInvestigationTable>): string | null {
  const update = (id: string, patch: Partial<SlaInvestigationTable>) => {
    const row = rows.get(id);
    if (!row) return null;
    rows.set(id, { ...row, ...patch });
    return id;
  };
  switch (event.type) {
    case 'SlaBreached': {
      const d = event.data;
      rows.set(d.breachId, {
        breach_id: d.breachId,
        dispute_id: d.disputeId,
        kind: d.kind,
        source: d.source,
        department: d.department,
        assignee: d.assignee,
        detected_at: d.detectedAt,
        due_at: d.investigationDueAt ?? null,
        status: 'open',
        overdue_at: null,
        decided_at: null,
      });
      return d.breachId;
    }
    case 'SlaInvestigationOverdue':
      return update(event.data.breachId, { status: 'overdue', overdue_at: event.data.at });
    case 'SlaBreachConfirmed':
      return update(event.data.breachId, { status: 'confirmed', decided_at: event.data.at });
    case 'SlaBreachExempted':
      return update(event.data.breachId, { status: 'exempted', decided_at: event.data.at });
    default:
      return null;
  }
}
