import { ACTION_NAMES, ACTION_ROUTES } from '../../../src/disputes/application/action-routes';
import { useTestApp } from '../../support/test-app';

/**
 * Every route of API.md (../shared/API.md), by method and OpenAPI path. The dispute routes exist today and
 * must be documented; the others are checked as soon as their controller is registered.
 */
const API_ROUTES: { method: 'get' | 'post' | 'put'; path: string; roles?: string[]; required?: boolean }[] = [
  { method: 'post', path: '/api/v1/disputes', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/acknowledge', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/assign', required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/negotiations', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/escalations', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/outcomes', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/compensations', roles: ['agent', 'supervisor', 'manager'], required: true },
  {
    method: 'post',
    path: '/api/v1/disputes/{id}/compensations/{compensationId}/approve',
    roles: ['senior_agent', 'supervisor', 'manager'], // API.md's two, and issue 15's senior agent (within its limit)
    required: true,
  },
  {
    method: 'post',
    path: '/api/v1/disputes/{id}/compensations/{compensationId}/pay',
    roles: ['agent', 'supervisor', 'manager'],
    required: true,
  },
  { method: 'post', path: '/api/v1/disputes/{id}/reject', roles: ['supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/withdraw', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/close', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/reopen', roles: ['agent', 'supervisor'], required: true },
  { method: 'post', path: '/api/v1/disputes/{id}/feedback', roles: ['agent', 'supervisor'], required: true },
  { method: 'get', path: '/api/v1/disputes/{id}', required: true },
  { method: 'get', path: '/api/v1/disputes', roles: ['agent', 'supervisor', 'manager', 'auditor', 'admin'], required: true },
  { method: 'get', path: '/api/v1/disputes/{id}/events', roles: ['auditor', 'supervisor', 'manager'], required: true },
  { method: 'get', path: '/api/v1/disputes/{id}/history', roles: ['auditor', 'supervisor', 'manager'], required: true },
  { method: 'get', path: '/api/v1/disputes/{id}/audit/verify', roles: ['auditor'], required: true },
  { method: 'get', path: '/api/v1/audit/events' },
  { method: 'get', path: '/api/v1/queues/me' },
  { method: 'get', path: '/api/v1/queues/agents/{agentId}' },
  { method: 'get', path: '/api/v1/queues/departments/{department}' },
  { method: 'get', path: '/api/v1/reports/sla-breaches' },
  { method: 'get', path: '/api/v1/reports/sla/monthly' },
  { method: 'get', path: '/api/v1/reports/compensations' },
  { method: 'get', path: '/api/v1/reports/funnel' },
  // Issue 17: analysts' exports and statistics.
  { method: 'get', path: '/api/v1/exports', roles: ['analyst', 'auditor', 'manager'], required: true },
  { method: 'get', path: '/api/v1/exports/{dataset}', roles: ['analyst', 'auditor', 'manager'], required: true },
  { method: 'get', path: '/api/v1/reports/satisfaction', roles: ['manager', 'auditor', 'analyst'], required: true },
  { method: 'get', path: '/api/v1/reports/categories', roles: ['manager', 'auditor', 'analyst'], required: true },
  { method: 'get', path: '/api/v1/reports/stages', roles: ['manager', 'auditor', 'analyst'], required: true },
  { method: 'get', path: '/api/v1/reports/costs', roles: ['manager', 'auditor', 'analyst'], required: true },
  { method: 'get', path: '/api/v1/reports/repeats', roles: ['manager', 'auditor', 'analyst'], required: true },
  { method: 'get', path: '/api/v1/reports/{report}/rows/{key}/lineage', roles: ['manager', 'auditor', 'analyst'], required: true },
  { method: 'get', path: '/api/v1/reports/funnel/rows/{key}/lineage', roles: ['manager', 'analyst'], required: true },
  {
    method: 'get',
    path: '/api/v1/reports/sla-breaches/rows/{key}/lineage',
    roles: ['supervisor', 'manager', 'auditor', 'analyst'],
    required: true,
  },
  {
    method: 'get',
    path: '/api/v1/reports/sla/monthly/rows/{key}/lineage',
    roles: ['supervisor', 'manager', 'auditor', 'analyst'],
    required: true,
  },
  { method: 'get', path: '/api/v1/sla/policy' },
  { method: 'put', path: '/api/v1/sla/policy' },
  { method: 'post', path: '/api/v1/sla/peak-windows' },
  { method: 'post', path: '/api/v1/sla/breaches/{breachId}/confirm' },
  { method: 'post', path: '/api/v1/sla/breaches/{breachId}/exempt' },
  { method: 'get', path: '/health', required: true },
  { method: 'get', path: '/metrics', required: true },
];

const t = useTestApp();
let doc: any;
beforeAll(async () => {
  const reply = await t.http.get('/docs-json');
  expect(reply.status).toBe(200);
  doc = reply.body;
});

const operation = (method: string, path: string) => doc.paths[path]?.[method];

describe('the OpenAPI document at /docs-json', () => {
  it('is OpenAPI 3 with bearer auth and the error body schema', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.schemas.ErrorBodyDto.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'message']));
    expect(Object.keys(doc.components.schemas.ErrorBodyDto.properties)).toEqual(['statusCode', 'error', 'message', 'details']);
  });

  it('has every API.md route that exists, with its roles, security and error responses', () => {
    const missing = API_ROUTES.filter((r) => r.required && !operation(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    for (const route of API_ROUTES) {
      const op = operation(route.method, route.path);
      if (!op) continue;
      const where = `${route.method.toUpperCase()} ${route.path}`;
      const statuses = Object.keys(op.responses);
      if (route.path === '/health' || route.path === '/metrics') {
        expect({ where, public: op['x-public'] }).toEqual({ where, public: true });
        continue;
      }
      expect({ where, security: op.security }).toEqual({ where, security: [{ bearer: [] }] });
      expect({ where, description: op.description }).toEqual({ where, description: expect.stringMatching(/^\*\*Roles:\*\* /) });
      if (route.roles) expect({ where, roles: [...op['x-roles']].sort() }).toEqual({ where, roles: [...route.roles].sort() });
      for (const status of ['401', '403', '429'])
        expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining([status]) });
      expect({ where, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ where, success: true });
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const schema = op.responses[status].content?.['application/json']?.schema;
        expect({ where, status, schema }).toEqual({ where, status, schema: { $ref: '#/components/schemas/ErrorBodyDto' } });
      }
    }
  });

  it('documents the writes: every command error, the headers, the body with examples', () => {
    const commands = API_ROUTES.filter((r) => r.method === 'post' && r.path.startsWith('/api/v1/disputes'));
    for (const route of commands) {
      const op = operation(route.method, route.path);
      const where = `POST ${route.path}`;
      const expected = ['400', '401', '403', '409', '412', '413', '422', '429', ...(route.path === '/api/v1/disputes' ? [] : ['404'])];
      expect({ where, statuses: Object.keys(op.responses) }).toEqual({ where, statuses: expect.arrayContaining(expected) });
      const headers = op.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
      expect({ where, headers }).toEqual({ where, headers: expect.arrayContaining(['Idempotency-Key', 'If-Match', 'X-Correlation-Id']) });
      expect({ where, body: op.requestBody?.content?.['application/json']?.schema?.$ref }).toEqual({
        where,
        body: expect.stringMatching(/^#\/components\/schemas\//),
      });
    }
    const file = operation('post', '/api/v1/disputes');
    expect(Object.keys(file.responses)).toContain('201');
    expect(file.responses['201'].headers).toHaveProperty('Location');
    expect(file.responses['201'].headers).toHaveProperty('ETag');
    expect(file.responses['409'].content['application/json'].example).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: expect.any(String),
    });
    const body = doc.components.schemas.FileDisputeDto;
    expect(body.required).toEqual(
      expect.arrayContaining([
        'customerId',
        'orderId',
        'productSku',
        'channel',
        'category',
        'description',
        'purchasedAt',
        'requestedRemedy',
      ]),
    );
    expect(body.properties.channel.enum).toEqual(['phone', 'email', 'chat', 'web']);
    expect(body.properties.customerId.example).toBeDefined();
    expect(doc.components.schemas.MoneyDto.properties.amount.example).toEqual(expect.any(Number));
  });

  it('documents the reads with their response shapes', () => {
    const view = doc.components.schemas.DisputeViewDto;
    expect(Object.keys(view.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'version',
        'stage',
        'status',
        'customerId',
        'orderId',
        'channel',
        'category',
        'priority',
        'assignee',
        'department',
        'sla',
        'compensations',
        'offers',
        'suggestedRemedy',
        'allowedActions',
        'filedAt',
        'updatedAt',
      ]),
    );
    expect(operation('get', '/api/v1/disputes/{id}').responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/DisputeViewDto',
    );
    const list = operation('get', '/api/v1/disputes');
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['stage', 'status', 'assignee', 'customerId', 'limit', 'cursor']),
    );
    expect(operation('get', '/api/v1/disputes/{id}/history').parameters.map((p: { name: string }) => p.name)).toContain('asOf');
  });

  it('the document matches what the routes answer (view fields)', async () => {
    const { fileBody, tokenFor } = await import('../../support/http-client');
    const created = await t.http.post('/api/v1/disputes', tokenFor('agent'), fileBody());
    // Every required field is answered; the optional ones (integrity) only when they apply.
    expect(Object.keys(created.body).sort()).toEqual([...doc.components.schemas.DisputeViewDto.required].sort());
  });

  it('every operation: a summary, a stable camelCase operationId, a tag, a schema for each JSON success', () => {
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths))
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${where}: no summary`);
        if (!/^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? '')) problems.push(`${where}: operationId ${op.operationId} is not camelCase`);
        if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} twice`);
        ids.add(op.operationId);
        if (!op.tags?.length) problems.push(`${where}: no tag`);
        for (const [status, response] of Object.entries<any>(op.responses))
          if (status.startsWith('2') && !response.content) problems.push(`${where} ${status}: no content declared`);
          else if (status.startsWith('2') && response.content['application/json'] && !response.content['application/json'].schema)
            problems.push(`${where} ${status}: no schema`);
      }
    expect(problems).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
  });

  it('maps every allowedActions entry to its route, and declares the structured actions', () => {
    const view = doc.components.schemas.DisputeViewDto;
    expect(view.properties.allowedActions.items.enum).toEqual(ACTION_NAMES);
    expect(doc.components.schemas.DisputeActionDto.properties.action.enum).toEqual(ACTION_NAMES);
    for (const [action, route] of Object.entries(ACTION_ROUTES)) {
      expect({ action, operationId: operation('post', route.path)?.operationId }).toEqual({ action, operationId: route.operationId });
      expect(view.properties.allowedActions.description).toContain(`\`${action}\` → POST ${route.path}`);
    }
  });

  it('declares nullable money and enums so that null validates (OpenAPI 3.1)', () => {
    const { MoneyDto, DisputeViewDto, ForumHoldDto, CompensationViewDto } = doc.components.schemas;
    expect(DisputeViewDto.properties.amountClaimed).toEqual({ anyOf: [{ $ref: '#/components/schemas/MoneyDto' }, { type: 'null' }] });
    expect(ForumHoldDto.properties.result.enum).toContain(null);
    expect(CompensationViewDto.properties.basis.enum).toContain('sla_breach');
    expect(CompensationViewDto.properties.status.enum).toContain('declined');
    expect(MoneyDto.properties.amount.type).toBe('integer');
    expect(Object.keys(DisputeViewDto.properties.sla.$ref ? doc.components.schemas.SlaViewDto.properties : {})).toEqual(
      expect.arrayContaining(['clocks', 'peakExtensionPercent']),
    );
  });

  it('says /metrics is public, a token optional', () => {
    expect(operation('get', '/metrics').security).toEqual([{}, { 'metrics-token': [] }]);
    expect(operation('post', '/api/v1/disputes/{id}/compensations').responses['201'].headers).not.toHaveProperty('Location');
  });

  it('serves the UI at /docs, publicly', async () => {
    const page = await fetch(`${t.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const bundle = await fetch(`${t.baseUrl}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
  });
});
