'use strict';
/**
 * One writer PROCESS of the gap-free ordering test (postgres-global-order.spec.ts), on the compiled store:
 * waits for 'go', appends `appends` times with `concurrency` appends in flight, to streams of its own and to
 * streams every writer shares ('any', so writers race on the same hash chains), with some multi-event
 * appends, some appends that fail their expected revision, and some that repeat an acknowledged event id
 * (the transaction holding them rolls back, as in a crash between numbering and commit). Reports what was
 * acknowledged, then exits.
 */
const { randomUUID } = require('node:crypto');
const { PostgresEventStore } = require('../../dist/event-store/postgres-event-store');

const [url, writer, appends, concurrency] = process.argv.slice(2);
const total = Number(appends);
const metadata = () => ({
  actorId: `writer-${writer}`,
  actorRoles: ['system'],
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: null,
  policyVersion: null,
  schemaVersion: 1,
});

async function main() {
  const store = new PostgresEventStore(url, { poolSize: 2 });
  await store.headPosition(); // schema ready before the start signal
  process.send({ kind: 'ready' });
  await new Promise((resolve) => process.once('message', resolve));
  const acknowledged = [];
  const counts = { wrongRevision: 0, duplicate: 0, other: 0 };
  let next = 0;
  const started = Date.now();
  const loop = async () => {
    while (next < total) {
      const i = next++;
      const streamId = i % 5 === 0 ? `shared-${(i / 5) % 4}` : `w${writer}-${i % 20}`;
      const size = i % 7 === 0 ? 3 : 1;
      const events = Array.from({ length: size }, (_, k) => ({
        eventId: randomUUID(),
        type: 'gap-test-v1',
        data: { writer: Number(writer), i, k },
        metadata: metadata(),
      }));
      let expected = 'any';
      if (i % 11 === 5) expected = 999_999; // never right: fails, writes nothing
      if (i % 53 === 7 && acknowledged.length > 0) events[0].eventId = acknowledged[acknowledged.length - 1].eventId;
      try {
        const result = await store.append(streamId, events, expected);
        for (const event of result.events) acknowledged.push({ eventId: event.eventId, position: event.position });
      } catch (error) {
        if (error.name === 'WrongExpectedRevisionError') counts.wrongRevision++;
        else if (error.code === '23505') counts.duplicate++;
        else (counts.other++, process.stderr.write(`writer ${writer}: ${error.message}\n`));
      }
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, loop));
  const elapsedMs = Date.now() - started;
  const stats = store.stats();
  await store.close();
  process.send({ kind: 'done', acknowledged, counts, elapsedMs, stats }, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`writer ${writer} failed: ${error.stack}\n`);
  process.exit(1);
});
