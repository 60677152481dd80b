/**
 * Issue 12, finding 4 (tokens), reproduced: each case was accepted before and is refused now with a 401
 * naming the rule. README "Tokens and limits" has the rules.
 */
import { JwtService } from '@nestjs/jwt';
import { mintDevTokens } from '../../src/auth/dev-tokens';
import {
  CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_TOKEN_TTL_SECONDS,
  parseDurationSeconds,
  timeClaimsOf,
  timeProblem,
  TokenRefused,
} from '../../src/auth/token-rules';
import { tokens } from '../../src/cli/commands/tokens';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { ROLES } from '../../src/shared/actor';
import { fileBody, TEST_SECRET, tokenFor } from '../support/http-client';
import { useTestApp } from '../support/test-app';
import { agentToken, nowSeconds } from './jwt';

const HOUR = 3600;

describe('tokens (finding 4)', () => {
  // Failures here come from one address: a generous failure budget keeps this file about the token rules.
  const t = useTestApp({ env: { AUTH_FAILURES_PER_MINUTE_PER_IP: '1000' } });
  const list = (token: string) => t.http.get('/api/v1/disputes', token);

  async function expectRefused(token: string, message: RegExp): Promise<void> {
    const r = await list(token);
    expect({ status: r.status, body: r.body }).toEqual({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(message) },
    });
  }

  it('accepts a well-formed token (the baseline the cases below depart from)', async () => {
    expect((await list(agentToken())).status).toBe(200);
  });

  it('refuses a token without exp (it never expired)', async () => {
    await expectRefused(agentToken({ exp: undefined }), /no expiry \(exp\)/);
  });

  it('refuses exp: 1e300 (it never expired)', async () => {
    await expectRefused(agentToken({ exp: 1e300 }), /lifetime \(exp - iat\).*AUTH_MAX_TOKEN_TTL/);
  });

  it('refuses a non-numeric exp', async () => {
    await expectRefused(agentToken({ exp: 'tomorrow' }), /exp must be a time in seconds/);
  });

  it('refuses a lifetime over AUTH_MAX_TOKEN_TTL (12 h by default), accepts exactly 12 h', async () => {
    const iat = nowSeconds();
    await expectRefused(agentToken({ iat, exp: iat + 12 * HOUR + 1 }), /at most 12 h is accepted \(AUTH_MAX_TOKEN_TTL\)/);
    await expectRefused(agentToken({ iat, exp: iat + 30 * 86_400 }), /AUTH_MAX_TOKEN_TTL/);
    expect((await list(agentToken({ iat, exp: iat + 12 * HOUR }))).status).toBe(200);
  });

  it('refuses a token without iat: its lifetime cannot be checked', async () => {
    await expectRefused(agentToken({ iat: undefined }), /no issue time \(iat\)/);
  });

  it('refuses an old token re-dated by a far exp: the lifetime counts from iat', async () => {
    await expectRefused(agentToken({ iat: nowSeconds() - 30 * 86_400, exp: nowSeconds() + 60 }), /lifetime/);
  });

  it('refuses exp not after iat', async () => {
    const now = nowSeconds();
    await expectRefused(agentToken({ iat: now + 30, exp: now + 20 }), /expires before it was issued/);
  });

  it('refuses iat in the future beyond 60 s of skew; accepts it within', async () => {
    const now = nowSeconds();
    await expectRefused(agentToken({ iat: now + CLOCK_SKEW_SECONDS + 60, exp: now + 2 * HOUR }), /issued in the future/);
    expect((await list(agentToken({ iat: now + 30, exp: now + HOUR }))).status).toBe(200);
  });

  it('honours nbf with 60 s of skew', async () => {
    const now = nowSeconds();
    await expectRefused(agentToken({ nbf: now + CLOCK_SKEW_SECONDS + 60 }), /not valid before/);
    await expectRefused(agentToken({ nbf: 'soon' }), /nbf must be a time/);
    expect((await list(agentToken({ nbf: now + 30 }))).status).toBe(200);
    expect((await list(agentToken({ nbf: now - 60 }))).status).toBe(200);
  });

  it('refuses roles: [] (it read any dispute), and roles that are not an array of known roles', async () => {
    const filed = await t.http.post('/api/v1/disputes', tokenFor('agent'), fileBody({ orderId: 'sec-roles' }));
    expect(filed.status).toBe(201);
    const empty = agentToken({ roles: [] });
    const read = await t.http.get(`/api/v1/disputes/${filed.body.id}`, empty);
    expect(read.status).toBe(401);
    expect(read.body.message).toMatch(/roles must be a non-empty array/);
    await expectRefused(empty, /roles must be a non-empty array/);
    await expectRefused(agentToken({ roles: undefined }), /roles/);
    await expectRefused(agentToken({ roles: 'agent' }), /roles/);
    await expectRefused(agentToken({ roles: ['agent', 'root'] }), /roles/);
    await expectRefused(agentToken({ sub: '' }), /no subject/);
  });

  it('refuses any crit header: this service understands no extension', async () => {
    await expectRefused(agentToken({}, { crit: ['exp-policy'], 'exp-policy': 'ignore' }), /critical extensions \(crit: exp-policy\)/);
    await expectRefused(agentToken({}, { crit: ['b64'], b64: true }), /crit/);
    await expectRefused(agentToken({}, { crit: [] }), /crit/);
  });

  it('keeps refusing a refused token, and re-checks a remembered one on every use', async () => {
    const future = agentToken({ nbf: nowSeconds() + 10 * 60 });
    await expectRefused(future, /not valid before/);
    await expectRefused(future, /not valid before/);
    const good = agentToken({ sub: 'agent-cache' });
    expect((await list(good)).status).toBe(200);
    expect((await list(good)).status).toBe(200); // from the verified-token cache
  });

  it('still refuses what it refused before: other secrets, alg none, other algorithms', async () => {
    const head = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'a', roles: ['agent'], iat: nowSeconds(), exp: nowSeconds() + 60 })).toString(
      'base64url',
    );
    await expectRefused(`${head('none')}.${body}.`, /invalid token/);
    await expectRefused(tokenFor('agent', 'a', { algorithm: 'HS512' }), /invalid algorithm/);
    await expectRefused(tokenFor('agent', 'a', { secret: 'another-secret-another-secret' }), /invalid signature/);
  });
});

describe('tokens the project mints pass the rules', () => {
  const t = useTestApp({ env: { AUTH_FAILURES_PER_MINUTE_PER_IP: '1000' } });

  it('dev tokens printed at start (one per role, living AUTH_MAX_TOKEN_TTL)', async () => {
    const minted = mintDevTokens(TEST_SECRET, loadConfig({}).authMaxTokenTtlSeconds);
    for (const role of ROLES) {
      const claims = new JwtService({ secret: TEST_SECRET }).verify(minted[role]);
      expect(claims.exp - claims.iat).toBe(DEFAULT_MAX_TOKEN_TTL_SECONDS);
      expect({ role, status: (await t.http.get('/api/v1/sla/policy', minted[role])).status }).toEqual({ role, status: 200 });
    }
  });

  it('the CLI tokens command, which refuses a --ttl the service would refuse', async () => {
    const out = captureStdout(() => tokens({ secret: TEST_SECRET, department: 'after-sales', ttl: '12h', json: true }));
    const minted = JSON.parse(out) as Record<string, string>;
    for (const role of ROLES)
      expect({ role, status: (await t.http.get('/api/v1/sla/policy', minted[role])).status }).toEqual({ role, status: 200 });
    expect(() => tokens({ secret: TEST_SECRET, department: 'x', ttl: '7d', json: true })).toThrow(/AUTH_MAX_TOKEN_TTL is 12 h/);
    const previous = process.env.AUTH_MAX_TOKEN_TTL;
    process.env.AUTH_MAX_TOKEN_TTL = '7d';
    try {
      expect(() => captureStdout(() => tokens({ secret: TEST_SECRET, department: 'x', ttl: '7d', json: true }))).not.toThrow();
    } finally {
      if (previous === undefined) delete process.env.AUTH_MAX_TOKEN_TTL;
      else process.env.AUTH_MAX_TOKEN_TTL = previous;
    }
  });

  it('tokenFor, the test helper (an hour, with iat)', async () => {
    const claims = new JwtService({ secret: TEST_SECRET }).verify(tokenFor('manager'));
    expect(claims.exp - claims.iat).toBe(HOUR);
    expect((await t.http.get('/api/v1/disputes', tokenFor('manager'))).status).toBe(200);
  });
});

describe('AUTH_MAX_TOKEN_TTL', () => {
  const t = useTestApp({ env: { AUTH_MAX_TOKEN_TTL: '30m' } });

  it('is configurable: a shorter maximum refuses the hour-long tokens it accepted before', async () => {
    expect((await t.http.get('/api/v1/disputes', tokenFor('agent', 'a', { expiresIn: '30m' }))).status).toBe(200);
    const r = await t.http.get('/api/v1/disputes', tokenFor('agent', 'a', { expiresIn: '1h' }));
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/at most 30 min is accepted/);
  });

  it('reads seconds or a duration, and names itself when it cannot', () => {
    expect(loadConfig({}).authMaxTokenTtlSeconds).toBe(12 * HOUR);
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '3600' }).authMaxTokenTtlSeconds).toBe(HOUR);
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '2h' }).authMaxTokenTtlSeconds).toBe(2 * HOUR);
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '1d' }).authMaxTokenTtlSeconds).toBe(86_400);
    for (const bad of ['forever', '0', '-5', '31d', '1.5h']) {
      expect(() => loadConfig({ AUTH_MAX_TOKEN_TTL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ AUTH_MAX_TOKEN_TTL: bad })).toThrow(/AUTH_MAX_TOKEN_TTL/);
    }
  });
});

describe('token rules (pure)', () => {
  const rules = { maxTtlSeconds: 12 * HOUR, skewSeconds: 60 };
  const now = 1_800_000_000;
  const refusal = (claims: Record<string, unknown>) => {
    try {
      timeClaimsOf(claims, rules);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(TokenRefused);
      return (error as Error).message;
    }
  };

  it.each([
    [{ iat: now }, /no expiry/],
    [{ iat: now, exp: 1e300 }, /lifetime/],
    [{ iat: now, exp: Infinity }, /exp must be/],
    [{ iat: now, exp: now + 12 * HOUR + 1 }, /lifetime/],
    [{ exp: now + 60 }, /no issue time/],
    [{ iat: '1800000000', exp: now + 60 }, /iat must be/],
    [{ iat: now, exp: now }, /expires before/],
    [{ iat: now, exp: now + 60, nbf: null }, /nbf must be/],
  ])('refuses %j', (claims, message) => {
    expect(refusal(claims)).toMatch(message);
  });

  it('checks the clock on every use: expiry (no skew), iat and nbf (60 s of skew)', () => {
    const time = timeClaimsOf({ iat: now, exp: now + HOUR, nbf: now + 120 }, rules);
    expect(timeProblem(time, now + 59, rules)).toMatch(/not valid before/);
    expect(timeProblem(time, now + 60, rules)).toBeUndefined();
    expect(timeProblem(time, now + HOUR - 0.5, rules)).toBeUndefined();
    expect(timeProblem(time, now + HOUR, rules)).toMatch(/expired/);
    expect(timeProblem(timeClaimsOf({ iat: now + 61, exp: now + HOUR }, rules), now, rules)).toMatch(/issued in the future/);
    expect(timeProblem(timeClaimsOf({ iat: now + 60, exp: now + HOUR }, rules), now, rules)).toBeUndefined();
  });

  it('parses durations', () => {
    expect([
      parseDurationSeconds('90'),
      parseDurationSeconds('90s'),
      parseDurationSeconds('30m'),
      parseDurationSeconds('12h'),
      parseDurationSeconds('7d'),
    ]).toEqual([90, 90, 1800, 43_200, 604_800]);
    expect([parseDurationSeconds('12 hours'), parseDurationSeconds('1h30m'), parseDurationSeconds('')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

function captureStdout(run: () => unknown): string {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}
