// npm run client:generate: start the built service on a scratch DATA_DIR, read /docs-json and write the typed
// client's openapi.json and schema.d.ts under clients/typescript (tools/openapi-client.js).
'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { CLIENT_DIR, renderClient } = require('./openapi-client');

async function main() {
  process.env.LOG_LEVEL = 'silent';
  delete process.env.BENCH_NOOP_ROUTE; // the bench-only route is not part of the contract
  const { createApp } = require('../dist/app.factory');
  const { loadConfig } = require('../dist/config/app-config');
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-client-'));
  const app = await createApp(
    loadConfig({
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: 'client-generation-secret-client-generation',
      PORT: '0',
      SLA_SCHEDULER_INTERVAL_MS: '0',
    }),
  );
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address();
    const reply = await fetch(`http://127.0.0.1:${port}/docs-json`);
    if (!reply.ok) throw new Error(`/docs-json answered ${reply.status}`);
    const files = await renderClient(await reply.json());
    for (const [name, text] of Object.entries(files)) writeFileSync(join(CLIENT_DIR, name), text);
    console.log(
      `wrote ${Object.keys(files)
        .map((f) => join('clients/typescript', f))
        .join(', ')}`,
    );
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
