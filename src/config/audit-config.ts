/** Audit and tamper evidence (README "Audit and tamper evidence"). */
export interface AuditConfig {
  /** AUDIT_CHECKPOINT_INTERVAL_MS (default 60000): how often a signed checkpoint is written when the log grew; 0: only at start and shutdown. */
  checkpointIntervalMs: number;
  /** AUDIT_SIGNING_KEY: an Ed25519 private key (PKCS#8 PEM, or its DER in base64); absent: DATA_DIR/audit-signing-key.pem, generated when missing. */
  signingKey: string | null;
  /** AUDIT_INTEGRITY_CACHE_MS (default 5000): how long a read reuses the checked checkpoint before looking for a newer one. */
  integrityCacheMs: number;
}

export function loadAuditConfig(env: NodeJS.ProcessEnv, problems: string[]): AuditConfig {
  const wholeMs = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0)
      problems.push(`${name} must be a whole number of milliseconds (0 or more), got "${env[name]}"`);
    return value;
  };
  const signingKey = env.AUDIT_SIGNING_KEY?.trim() || null;
  return {
    checkpointIntervalMs: wholeMs('AUDIT_CHECKPOINT_INTERVAL_MS', 60_000),
    signingKey,
    integrityCacheMs: wholeMs('AUDIT_INTEGRITY_CACHE_MS', 5000),
  };
}
