/**
 * A dispute's life through the typed client, as the agent UI and the back-office tools would drive it, one
 * step per role: agent, supervisor, manager, auditor, analyst, admin. It type-checks with no casts (every
 * body, parameter and response comes from schema.d.ts) and runs against a live service in the service's tests
 * (test/integration/ops/typed-client.e2e.spec.ts).
 */
import { createCasetrailClient, type DisputeView, versionOf } from '../index';

export interface JourneyOptions {
  baseUrl: string;
  /** Bearer tokens per role; the agent and the supervisor share `department`. */
  tokens: { agent: string; supervisor: string; manager: string; auditor: string; analyst: string; admin: string };
  agentId: string;
  department: string;
  fetch?: (request: Request) => Promise<Response>;
}

export interface JourneyStep {
  role: string;
  operation: string;
  status: number;
}

export async function sixRoleJourney(options: JourneyOptions): Promise<{ steps: JourneyStep[]; dispute: DisputeView }> {
  const client = (token: string) => createCasetrailClient({ baseUrl: options.baseUrl, token, fetch: options.fetch });
  const agent = client(options.tokens.agent);
  const supervisor = client(options.tokens.supervisor);
  const manager = client(options.tokens.manager);
  const auditor = client(options.tokens.auditor);
  const analyst = client(options.tokens.analyst);
  const admin = client(options.tokens.admin);
  const steps: JourneyStep[] = [];
  const step = <R extends { response: Response }>(role: string, operation: string, result: R): R => {
    steps.push({ role, operation, status: result.response.status });
    return result;
  };
  const fail = (what: string, error: unknown): never => {
    throw new Error(`${what} failed: ${JSON.stringify(error)}`);
  };
  const day = 86_400_000;
  const now = Date.now();
  const period = { from: new Date(now - 30 * day).toISOString(), to: new Date(now + day).toISOString() };

  // Agent: file, take it, acknowledge, propose a refund.
  const filed = step(
    'agent',
    'fileDispute',
    await agent.POST('/api/v1/disputes', {
      body: {
        customerId: 'cust-journey',
        orderId: `order-${now}`,
        productSku: 'kettle-2l',
        channel: 'chat',
        category: 'quality_defect',
        description: 'the kettle leaks at the seam',
        purchasedAt: new Date(now - 3 * day).toISOString(),
        deliveredAt: new Date(now - 2 * day).toISOString(),
        requestedRemedy: 'refund',
        amountClaimed: { amount: 19_900, currency: 'CNY' },
        proofOfPurchase: true,
        defectCode: 'LEAK',
      },
    }),
  );
  if (!filed.data) return fail('filing', filed.error);
  const id = filed.data.id;
  const path = { id };
  const assigned = step(
    'agent',
    'assignDispute',
    await agent.POST('/api/v1/disputes/{id}/assign', {
      params: { path, header: { 'If-Match': versionOf(filed.response) } },
      body: { agentId: options.agentId, department: options.department },
    }),
  );
  if (!assigned.data) return fail('assigning', assigned.error);
  if (!assigned.data.allowedActions.includes('acknowledge')) return fail('acknowledge is not offered', assigned.data.allowedActions);
  const acknowledged = step(
    'agent',
    'acknowledgeDispute',
    await agent.POST('/api/v1/disputes/{id}/acknowledge', {
      params: { path, header: { 'If-Match': versionOf(assigned.response) } },
      body: { message: 'We are sorry; a refund is on its way.' },
    }),
  );
  if (!acknowledged.data) return fail('acknowledging', acknowledged.error);
  const proposed = step(
    'agent',
    'proposeCompensation',
    await agent.POST('/api/v1/disputes/{id}/compensations', {
      params: { path },
      body: { type: 'refund', amount: { amount: 19_900, currency: 'CNY' }, reason: 'seam leak confirmed on photos' },
    }),
  );
  if (!proposed.data) return fail('proposing', proposed.error);
  const compensation = { id, compensationId: proposed.data.compensationId };

  // Supervisor: the department queue, and the approval when the refund is above the agent's authority.
  const queue = step(
    'supervisor',
    'getDepartmentQueue',
    await supervisor.GET('/api/v1/queues/departments/{department}', { params: { path: { department: options.department } } }),
  );
  if (!queue.data) return fail('reading the queue', queue.error);
  // The supervisor's view says which compensation it may approve (`actions`, beside `allowedActions`).
  const seen = step('supervisor', 'getDispute', await supervisor.GET('/api/v1/disputes/{id}', { params: { path } }));
  if (!seen.data) return fail('reading the dispute', seen.error);
  let version = versionOf(seen.response);
  const approval = seen.data.actions.find((a) => a.action === 'approve_compensation' && a.compensationId === compensation.compensationId);
  if (approval) {
    const approved = step(
      'supervisor',
      'approveCompensation',
      await supervisor.POST('/api/v1/disputes/{id}/compensations/{compensationId}/approve', {
        params: { path: compensation, header: { 'If-Match': version } },
        body: { note: 'within my limit' },
      }),
    );
    if (!approved.data) return fail('approving', approved.error);
    version = versionOf(approved.response);
  }

  // Agent: pay and close.
  const paid = step(
    'agent',
    'payCompensation',
    await agent.POST('/api/v1/disputes/{id}/compensations/{compensationId}/pay', {
      params: { path: compensation, header: { 'If-Match': version } },
      body: { paymentReference: `bank-${now}` },
    }),
  );
  if (!paid.data) return fail('paying', paid.error);
  const closed = step(
    'agent',
    'closeDispute',
    await agent.POST('/api/v1/disputes/{id}/close', {
      params: { path, header: { 'If-Match': versionOf(paid.response) } },
      body: { resolution: 'refund paid, customer satisfied' },
    }),
  );
  if (!closed.data) return fail('closing', closed.error);

  // Manager: the list and the money.
  step('manager', 'listDisputes', await manager.GET('/api/v1/disputes', { params: { query: { customerId: 'cust-journey', limit: 10 } } }));
  step('manager', 'getCompensationReport', await manager.GET('/api/v1/reports/compensations', { params: { query: period } }));
  step('manager', 'getFunnelReport', await manager.GET('/api/v1/reports/funnel', { params: { query: period } }));

  // Auditor: the case's events, its history, its chain, the log across cases and the signed checkpoints.
  step('auditor', 'listDisputeEvents', await auditor.GET('/api/v1/disputes/{id}/events', { params: { path } }));
  step(
    'auditor',
    'getDisputeHistory',
    await auditor.GET('/api/v1/disputes/{id}/history', { params: { path, query: { asOf: period.to } } }),
  );
  step('auditor', 'verifyDispute', await auditor.GET('/api/v1/disputes/{id}/audit/verify', { params: { path } }));
  step('auditor', 'listAuditEvents', await auditor.GET('/api/v1/audit/events', { params: { query: { limit: 5 } } }));
  step('auditor', 'listAuditCheckpoints', await auditor.GET('/api/v1/audit/checkpoints'));

  // Analyst: the SLA reports (no personal data).
  step(
    'analyst',
    'getSlaBreachReport',
    await analyst.GET('/api/v1/reports/sla-breaches', { params: { query: { ...period, groupBy: 'agent' } } }),
  );
  step(
    'analyst',
    'getMonthlySlaReport',
    await analyst.GET('/api/v1/reports/sla/monthly', { params: { query: { month: period.to.slice(0, 7) } } }),
  );

  // Admin: the SLA policy (read, then written back as a new version) and the projections.
  const policy = step('admin', 'getSlaPolicy', await admin.GET('/api/v1/sla/policy'));
  if (!policy.data) return fail('reading the policy', policy.error);
  const { firstResponse, resolution, payment, atRiskRatio, businessCalendar } = policy.data;
  const changed = step(
    'admin',
    'changeSlaPolicy',
    await admin.PUT('/api/v1/sla/policy', {
      body: { firstResponse, resolution, payment, atRiskRatio, businessCalendar, reason: 'journey: same targets' },
    }),
  );
  if (!changed.data) return fail('changing the policy', changed.error);
  step('admin', 'listProjections', await admin.GET('/api/v1/admin/projections'));

  return { steps, dispute: closed.data };
}
