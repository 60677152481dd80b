import { JwtService } from '@nestjs/jwt';
import { Command, Option } from 'commander';
import { formatSeconds, maxTokenTtlFrom, parseDurationSeconds } from '../../auth/token-rules';
import { ROLES, Role } from '../../shared/actor';
import { EXIT, runCommand, UsageError } from '../cli-support';

interface TokensOptions {
  secret?: string;
  role?: string[];
  sub?: string;
  department: string;
  ttl: string;
  json: boolean;
}

/** `tokens`: mints HS256 tokens (one per role, or for the given roles) for a secret; for development and tests only. */
export function registerTokensCommand(program: Command): Command {
  return program
    .command('tokens')
    .description('Mint bearer tokens for a secret (development): one per role, or one token carrying the --role roles')
    .addOption(new Option('--secret <secret>', 'HS256 secret (at least 16 characters)').env('AUTH_JWT_SECRET'))
    .addOption(new Option('--role <role...>', 'roles of a single token').choices([...ROLES]))
    .option('--sub <userId>', 'subject (user id) of the token; default dev-<role>')
    .option('--department <name>', 'department claim', 'after-sales')
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 12h; at most AUTH_MAX_TOKEN_TTL (default 12h), which the service enforces', '12h')
    .option('--json', 'print a JSON object instead of lines', false)
    .addHelpText(
      'after',
      '\nExample:\n  AUTH_JWT_SECRET=... npm run cli -- tokens\n  npm run cli -- tokens --secret $SECRET --role supervisor --sub sup-7 --ttl 1h',
    )
    .action((options: TokensOptions) => runCommand(async () => tokens(options)));
}

export function tokens(options: TokensOptions): number {
  if (!options.secret) throw new UsageError('a secret is needed: --secret or AUTH_JWT_SECRET');
  if (options.secret.length < 16) throw new UsageError('the secret must be at least 16 characters (as AUTH_JWT_SECRET)');
  const ttl = /^\d+[smhd]$/.test(options.ttl) ? parseDurationSeconds(options.ttl) : undefined;
  if (ttl === undefined || ttl < 1) throw new UsageError(`--ttl must look like 30m, 12h or 7d, got "${options.ttl}"`);
  // The service refuses tokens living longer than AUTH_MAX_TOKEN_TTL: minting one would only make a token that never works.
  const problems: string[] = [];
  const maxTtl = maxTokenTtlFrom(process.env, problems);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  if (ttl > maxTtl) {
    throw new UsageError(
      `--ttl ${options.ttl} is longer than the service accepts: AUTH_MAX_TOKEN_TTL is ${formatSeconds(maxTtl)} (set it where the service runs and here to mint longer tokens)`,
    );
  }
  // jsonwebtoken writes iat (required by the service) and exp = iat + ttl.
  const jwt = new JwtService({ secret: options.secret, signOptions: { algorithm: 'HS256', expiresIn: ttl } });
  const sign = (roles: Role[], sub: string) => jwt.sign({ sub, roles, department: options.department });
  const minted: Record<string, string> = {};
  if (options.role && options.role.length > 0) {
    const roles = options.role as Role[];
    minted[roles.join('+')] = sign(roles, options.sub ?? `dev-${roles[0]}`);
  } else {
    for (const role of ROLES) minted[role] = sign([role], options.sub ?? `dev-${role}`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(minted, null, 2)}\n`);
  else for (const [role, token] of Object.entries(minted)) process.stdout.write(`${role.padEnd(12)} ${token}\n`);
  return EXIT.ok;
}
