/**
 * For the PostgreSQL read store: a read-only role and views a BI tool can point at (docs/analytics.md). The views
 * leave out every personal column (customer and order ids, the folded state, the raw events): SQL has no access
 * to the pseudonym key, so customer-level analysis goes through the exports, which carry pseudonyms. Views run
 * with their owner's rights, so the role needs no right on the tables themselves. Idempotent; re-run after a
 * read-model migration that changes the columns (CREATE OR REPLACE VIEW).
 */
export interface AnalyticsSqlOptions {
  /** Schema of the views (default analytics). */
  schema?: string;
  /** The read-only role (default casetrail_analyst, NOLOGIN: grant it to login users). */
  role?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The views: name → the SELECT over the read model's tables (resolved through the search_path when run). */
export const ANALYTICS_VIEWS: Record<string, string> = {
  disputes: `SELECT dispute_id, product_sku, defect_code, channel, category, priority, stage, status, assignee, department,
    filed_at, updated_at, version, suggested_remedy, acknowledged_at, negotiated_at, mediated_at, arbitrated_at, litigated_at,
    compensated_at, closed_at, rejected_at, withdrawn_at, resolved_at, first_response_seconds
  FROM disputes`,
  compensations: `SELECT compensation_id, dispute_id, type, category, department, basis, amount, currency, status,
    proposed_at, approved_at, paid_at
  FROM compensations`,
  sla_breaches: `SELECT breach_id, dispute_id, kind, clock_key, channel, category, assignee, department, due_at, detected_at,
    status, source
  FROM sla_breaches`,
  sla_penalties: `SELECT penalty_id, breach_id, subject_type, subject_id, channel, month, points, actions, applied_at, reversed_at
  FROM sla_penalties`,
};

export function analyticsSql(options: AnalyticsSqlOptions = {}): string {
  const schema = options.schema ?? 'analytics';
  const role = options.role ?? 'casetrail_analyst';
  for (const [name, value] of [
    ['schema', schema],
    ['role', role],
  ])
    if (!IDENTIFIER.test(value)) throw new Error(`${name} must be a lower-case SQL identifier, got "${value}"`);
  const views = Object.entries(ANALYTICS_VIEWS).map(
    ([name, select]) => `CREATE OR REPLACE VIEW ${schema}.${name} AS\n  ${select};\nGRANT SELECT ON ${schema}.${name} TO ${role};`,
  );
  return [
    `-- Casetrail analytics: read-only role "${role}" and views in schema "${schema}" (docs/analytics.md).`,
    `-- Run as the read store's owner, with the read store's schema first on the search_path.`,
    `DO $$ BEGIN CREATE ROLE ${role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
    `CREATE SCHEMA IF NOT EXISTS ${schema};`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC;`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${role};`,
    ...views,
    `ALTER ROLE ${role} SET default_transaction_read_only = on;`,
    '',
  ].join('\n');
}
