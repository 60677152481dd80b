import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AuditTrailService } from './audit-trail/audit-trail.service';
import { mintDevTokens } from './auth/dev-tokens';
import { formatSeconds } from './auth/token-rules';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  const logger = new Logger('Casetrail');
  logger.log(
    `listening on http://localhost:${config.port} (events: ${config.eventStore}, read models: ${config.readStore}, data: ${config.dataDir})`,
  );
  const audit = app.get(AuditTrailService);
  // One JSON log line (stdout carries JSON logs only); the PEM is also at GET /api/v1/audit/checkpoints/public-key.
  logger.log(
    `audit checkpoints are signed with Ed25519 key ${audit.key.keyId} (${audit.key.source}); public key: ${audit.publicKeyPem.trim()}`,
  );
  if (config.jwtSecretGenerated) {
    // Embedded mode without AUTH_JWT_SECRET: a random secret, so these tokens die with the process.
    const tokens = mintDevTokens(config.jwtSecret, config.authMaxTokenTtlSeconds);
    const lines = Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(10)} ${token}`);
    const lifetime = formatSeconds(config.authMaxTokenTtlSeconds);
    process.stdout.write(`\nAudit signing public key (key id ${audit.key.keyId}):\n${audit.publicKeyPem}`);
    process.stdout.write(
      `\nDev tokens (AUTH_JWT_SECRET not set; valid for ${lifetime} (AUTH_MAX_TOKEN_TTL) or until restart):\n${lines.join('\n')}\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
