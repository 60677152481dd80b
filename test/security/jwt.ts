import { createHmac } from 'node:crypto';
import { TEST_SECRET } from '../support/http-client';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * An HS256 token signed with TEST_SECRET whose header and claims are exactly the ones given (no iat or exp
 * added): for the tokens a hostile or careless issuer would mint.
 */
export function signed(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', TEST_SECRET).update(head).digest('base64url')}`;
}

/** A well-formed agent token issued now, living an hour, with `overrides` applied (undefined removes a claim). */
export function agentToken(overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const now = nowSeconds();
  const claims: Record<string, unknown> = {
    sub: 'agent-sec',
    roles: ['agent'],
    department: 'after-sales',
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return signed(claims, header);
}
