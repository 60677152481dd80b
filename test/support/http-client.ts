import { JwtService } from '@nestjs/jwt';
import { Role } from '../../src/shared/actor';
import { OpenApiConformance, OpenApiDocument } from './openapi-conformance';

export const TEST_SECRET = 'test-secret-test-secret-test-secret';

export function tokenFor(
  role: Role | Role[],
  sub?: string,
  options: { secret?: string; expiresIn?: string; algorithm?: 'HS256' | 'HS512'; department?: string } = {},
) {
  const roles = Array.isArray(role) ? role : [role];
  const jwt = new JwtService({ secret: options.secret ?? TEST_SECRET });
  return jwt.sign(
    { sub: sub ?? `${roles[0]}-1`, roles, department: options.department ?? 'after-sales' },
    { algorithm: options.algorithm ?? 'HS256', expiresIn: (options.expiresIn ?? '1h') as never },
  );
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** The live document of a server, or undefined when it serves none. */
async function conformanceOf(baseUrl: string): Promise<OpenApiConformance | undefined> {
  const reply = await fetch(`${baseUrl}/docs-json`).catch(() => undefined);
  return reply?.ok ? new OpenApiConformance((await reply.json()) as OpenApiDocument) : undefined;
}

/** Thrown when a response departs from the service's own OpenAPI document. */
export class NonConformingResponse extends Error {}

/**
 * A tiny JSON client over fetch for tests against a listening server. Every response is checked against the
 * server's live /docs-json (test/support/openapi-conformance.ts): an undocumented status, header, content type
 * or field throws NonConformingResponse, so every integration test is also a contract test. `conformance:
 * false` only for tests that talk to something other than this service's routes as documented.
 */
export function client(baseUrl: string, options: { conformance?: boolean } = {}) {
  let conformance: Promise<OpenApiConformance | undefined> | undefined;
  const checker = () => (conformance ??= options.conformance === false ? Promise.resolve(undefined) : conformanceOf(baseUrl));
  async function call<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    const problems = (await checker())?.check(method, path, response.status, response.headers, body, text) ?? [];
    if (problems.length) throw new NonConformingResponse(`response not as documented in /docs-json:\n${problems.join('\n')}`);
    return { status: response.status, body: body as T, headers: response.headers };
  }
  return {
    get: <T = any>(path: string, token?: string, headers?: Record<string, string>) => call<T>('GET', path, { token, headers }),
    post: <T = any>(path: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, { token, body: body ?? {}, headers }),
    call,
  };
}

export const fileBody = (overrides: Record<string, unknown> = {}) => ({
  customerId: 'cust-1',
  orderId: 'order-1',
  productSku: 'kettle-2l',
  channel: 'web',
  category: 'quality_defect',
  description: 'the kettle leaks at the seam',
  purchasedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  deliveredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  requestedRemedy: 'refund',
  amountClaimed: { amount: 19_900, currency: 'CNY' },
  proofOfPurchase: true,
  defectCode: 'LEAK',
  ...overrides,
});
