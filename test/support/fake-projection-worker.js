'use strict';
/**
 * A stand-in for dist/read-models/projection-worker.main.js that speaks the same protocol
 * (src/read-side/engine/worker/protocol.ts), driven by the test through `rebuild` calls whose name is an order:
 * `advance:<name>:<position>`, `fail:<name>`, `follow:<name>`, `changes:<assignee>`, `crash`.
 */
const { parentPort } = require('node:worker_threads');

const runners = { disputes: { name: 'disputes', position: 0, leader: true, failing: false } };
const post = (message) => parentPort.postMessage(message);
const positions = () => post({ kind: 'positions', runners: Object.values(runners) });
let wakes = 0;

parentPort.on('message', (message) => {
  if (message.kind === 'wake') return void wakes++;
  const reply = (value) => post({ kind: 'result', id: message.id, value });
  if (message.method === 'status') return reply(Object.values(runners).map((r) => ({ ...r, wakes, error: r.failing ? 'failing' : null })));
  if (message.method === 'stop') {
    reply(null);
    return parentPort.close();
  }
  const [order, a, b] = message.name.split(':');
  if (order === 'crash') process.exit(3);
  if (order === 'advance') runners[a].position = Number(b);
  if (order === 'fail') runners[a].failing = true;
  if (order === 'follow') runners[a].leader = false;
  if (order === 'changes') post({ kind: 'changes', changes: [{ disputeId: 'd-1', assignee: a, department: null }] });
  positions();
  reply({ projection: message.name });
});

positions();
