import { JwtService } from '@nestjs/jwt';
import { Role } from '../../src/shared/actor';

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

/** A tiny JSON client over fetch for tests against a listening server. */
export function client(baseUrl: string) {
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
