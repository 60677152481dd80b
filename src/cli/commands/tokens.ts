import { JwtService } from '@nestjs/jwt';
import { Command, Option } from 'commander';
import { ROLES, Role } from '../../disputes/domain/dispute.types';
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
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 12h, 7d', '12h')
    .option('--json', 'print a JSON object instead of lines', false)
    .addHelpText('after', '\nExample:\n  AUTH_JWT_SECRET=... npm run cli -- tokens\n  npm run cli -- tokens --secret $SECRET --role supervisor --sub sup-7 --ttl 1h')
    .action((options: TokensOptions) => runCommand(async () => tokens(options)));
}

export function tokens(options: TokensOptions): number {
  if (!options.secret) throw new UsageError('a secret is needed: --secret or AUTH_JWT_SECRET');
  if (options.secret.length < 16) throw new UsageError('the secret must be at least 16 characters (as AUTH_JWT_SECRET)');
  if (!/^\d+[smhd]$/.test(options.ttl)) throw new UsageError(`--ttl must look like 30m, 12h or 7d, got "${options.ttl}"`);
  const jwt = new JwtService({ secret: options.secret, signOptions: { algorithm: 'HS256', expiresIn: options.ttl as never } });
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
