'use strict';
/**
 * TEST DOUBLE of an EventStoreDB node at the gRPC protocol level: NOT EventStoreDB. A @grpc/grpc-js server
 * built on the service definitions @eventstore/db-client ships (generated/*_grpc_pb), so the real client
 * talks to it over real HTTP/2. It runs in its own child process (forked by start-esdb-test-double.ts)
 * because the generated protobuf code registers its classes globally, and loading it twice in one
 * process (here and in the client under test) can break the client.
 *
 * Implemented: ServerFeatures (advertising BatchAppend, as real 21.10+ nodes do, so the client takes the
 * BatchAppend path production takes), Streams.Append, Streams.BatchAppend, Streams.Read for stream reads,
 * $all reads forwards/backwards (with filters) and $all subscriptions (confirmation, catch-up events,
 * checkpoints when filtered, caught-up, live events). Stream subscriptions, deletes, persistent
 * subscriptions, gossip and authentication are not implemented (UNIMPLEMENTED).
 *
 * IPC from the parent: { id, type: 'dropSubscriptions', code? } ends every live subscription with a gRPC
 * error (default UNAVAILABLE, as when a node goes away); { id, type: 'appendSystemEvent' } appends a
 * `$`-prefixed event; { id, type: 'stats' } counts calls per method; { type: 'stop' } exits. Replies: { type: 'reply', id, result }.
 */
const { randomUUID } = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { Any } = require('google-protobuf/google/protobuf/any_pb');
const { Empty: WellKnownEmpty } = require('google-protobuf/google/protobuf/empty_pb');
const { StreamsService } = require('@eventstore/db-client/generated/streams_grpc_pb');
const { ServerFeaturesService } = require('@eventstore/db-client/generated/serverfeatures_grpc_pb');
const streams = require('@eventstore/db-client/generated/streams_pb');
const shared = require('@eventstore/db-client/generated/shared_pb');
const { Status } = require('@eventstore/db-client/generated/status_pb');
const features = require('@eventstore/db-client/generated/serverfeatures_pb');
const { InMemoryLog, WrongExpectedVersion, toPredicate } = require('./esdb-test-double-log');

const { ReadReq, ReadResp, AppendResp, BatchAppendResp } = streams;
const Options = ReadReq.Options;
const CHECKPOINT_WINDOW = 32; // the server's default filter search window; the interval is a multiple of it

const log = new InMemoryLog();
/** Live $all subscriptions, so that the parent can force-drop them. */
const liveSubscriptions = new Set();
/** Calls per method, so that tests can check which path the client took (BatchAppend, like production). */
const calls = { read: 0, append: 0, batchAppend: 0, subscribeToAll: 0 };

const streamName = (identifier) => Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
const identifierOf = (name) => new shared.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
const uuidToString = (uuid) => {
  if (!uuid.hasStructured()) return uuid.getString();
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(uuid.getStructured().getMostSignificantBits())), 0);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(uuid.getStructured().getLeastSignificantBits())), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

function fromProposed(message) {
  const metadata = message.getMetadataMap();
  return {
    id: uuidToString(message.getId()),
    type: metadata.get('type'),
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: Buffer.from(message.getData_asU8()),
    customMetadata: Buffer.from(message.getCustomMetadata_asU8()),
  };
}

function toReadResp(record) {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new shared.UUID().setString(record.id))
    .setStreamIdentifier(identifierOf(record.streamId))
    .setStreamRevision(String(record.revision))
    .setCommitPosition(String(record.position))
    .setPreparePosition(String(record.position))
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  recorded.getMetadataMap().set('type', record.type).set('content-type', record.contentType).set('created', String(record.created));
  const event = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(record.position));
  return new ReadResp().setEvent(event);
}

const checkpoint = (position) =>
  new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(String(position)).setPreparePosition(String(position)));

// ---- Streams.Read: stream reads, $all reads, $all subscriptions ----

function read(call) {
  const options = call.request.getOptions();
  calls.read++;
  if (options.hasSubscription()) {
    if (options.hasAll()) return subscribeToAll(call, options);
    return call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'test double: stream subscriptions are not implemented' });
  }
  const count = Number(options.getCount());
  const backwards = options.getReadDirection() === Options.ReadDirection.BACKWARDS;
  let records;
  if (options.hasStream()) {
    const name = streamName(options.getStream().getStreamIdentifier());
    const stream = log.streams.get(name);
    if (!stream) {
      call.write(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(identifierOf(name))));
      return call.end();
    }
    records = readStream(stream, options.getStream(), backwards);
  } else {
    records = readAll(options.getAll(), backwards);
    const predicate = options.hasFilter() ? toPredicate(options.getFilter()) : null;
    if (predicate) records = records.filter(predicate);
  }
  for (const record of records.slice(0, count)) call.write(toReadResp(record));
  call.end();
}

function readStream(stream, streamOptions, backwards) {
  const last = stream.length - 1;
  const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions.hasEnd() ? last + (backwards ? 0 : 1) : 0;
  if (!backwards) return stream.slice(from);
  return stream.slice(0, Math.min(from, last) + 1).reverse();
}

/** Forwards a position is inclusive, backwards exclusive, as on a real node (AllReader). */
function readAll(allOptions, backwards) {
  if (!backwards) {
    const from = allOptions.hasPosition() ? log.indexAtOrAfter(Number(allOptions.getPosition().getCommitPosition())) : allOptions.hasEnd() ? log.all.length : 0;
    return log.all.slice(from);
  }
  const to = allOptions.hasPosition() ? log.indexAtOrAfter(Number(allOptions.getPosition().getCommitPosition())) : allOptions.hasStart() ? 0 : log.all.length;
  return log.all.slice(0, to).reverse();
}

/** Confirmation, catch-up (events strictly after the start position), caught-up, then live events. */
function subscribeToAll(call, options) {
  calls.subscribeToAll++;
  const allOptions = options.getAll();
  const filter = options.hasFilter() ? options.getFilter() : null;
  const predicate = toPredicate(filter) ?? (() => true);
  const checkpointEvery = filter ? CHECKPOINT_WINDOW * Math.max(1, filter.getCheckpointintervalmultiplier()) : Infinity;
  let after = allOptions.hasPosition()
    ? Number(allOptions.getPosition().getCommitPosition())
    : allOptions.hasEnd() ? (log.all.at(-1)?.position ?? 0) : -1;
  let considered = 0;
  const deliver = (record) => {
    if (record.position <= after) return;
    after = record.position;
    if (predicate(record)) call.write(toReadResp(record));
    if (++considered % checkpointEvery === 0) call.write(checkpoint(record.position));
  };

  call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  for (let i = log.indexAtOrAfter(after + 1); i < log.all.length; i++) deliver(log.all[i]);
  if (filter && after >= 0) call.write(checkpoint(after));
  call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
  // Same tick as the catch-up: no append can slip in between.
  const subscription = {
    stop: log.onAppend((records) => records.forEach(deliver)),
    drop: (code) => call.emit('error', { code, details: 'subscription dropped by the test double' }),
  };
  liveSubscriptions.add(subscription);
  const end = () => {
    subscription.stop();
    liveSubscriptions.delete(subscription);
  };
  call.on('cancelled', end);
  call.on('close', end);
  call.on('error', end);
}

// ---- Streams.Append (unary) and Streams.BatchAppend (streaming) ----

function expectedOf(options) {
  if (options.hasAny()) return 'any';
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return BigInt(options.hasRevision?.() ? options.getRevision() : options.getStreamPosition());
}

function append(call, callback) {
  calls.append++;
  let options;
  const events = [];
  call.on('data', (request) => {
    if (request.hasOptions()) options = request.getOptions();
    else events.push(fromProposed(request.getProposedMessage()));
  });
  call.on('end', () => {
    const response = new AppendResp();
    const expected = expectedOf(options);
    try {
      const last = log.append(streamName(options.getStreamIdentifier()), expected, events).at(-1);
      const position = new AppendResp.Position().setCommitPosition(String(last.position)).setPreparePosition(String(last.position));
      response.setSuccess(new AppendResp.Success().setCurrentRevision(String(last.revision)).setPosition(position));
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) return callback({ code: grpc.status.INTERNAL, details: String(error) });
      const wrong = new AppendResp.WrongExpectedVersion();
      if (error.current === -1) wrong.setCurrentNoStream(new shared.Empty());
      else wrong.setCurrentRevision(String(error.current));
      if (expected === 'any') wrong.setExpectedAny(new shared.Empty());
      else if (expected === 'no_stream') wrong.setExpectedNoStream(new shared.Empty());
      else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new shared.Empty());
      else wrong.setExpectedRevision(String(expected));
      response.setWrongExpectedVersion(wrong);
    }
    callback(null, response);
  });
}

/** Requests are chunks keyed by correlation id; the write happens on the chunk marked final. */
function batchAppend(call) {
  const pending = new Map();
  call.on('data', (request) => {
    const key = uuidToString(request.getCorrelationId());
    const entry = pending.get(key) ?? { options: request.getOptions(), events: [] };
    pending.set(key, entry);
    entry.events.push(...request.getProposedMessagesList().map(fromProposed));
    if (!request.getIsFinal()) return;
    pending.delete(key);
    calls.batchAppend++; // counts appends, not calls: the client keeps one BatchAppend call open for many
    const response = new BatchAppendResp()
      .setCorrelationId(request.getCorrelationId())
      .setStreamIdentifier(entry.options.getStreamIdentifier());
    const expected = expectedOf(entry.options);
    try {
      const last = log.append(streamName(entry.options.getStreamIdentifier()), expected, entry.events).at(-1);
      const position = new shared.AllStreamPosition().setCommitPosition(String(last.position)).setPreparePosition(String(last.position));
      response.setSuccess(new BatchAppendResp.Success().setCurrentRevision(String(last.revision)).setPosition(position));
    } catch (error) {
      response.setError(error instanceof WrongExpectedVersion ? wrongExpectedVersionStatus(error, expected) : internalStatus(error));
    }
    call.write(response);
  });
  call.on('end', () => call.end());
}

/** As a real node does: google.rpc.Status ALREADY_EXISTS with event_store.client.WrongExpectedVersion details. */
function wrongExpectedVersionStatus(error, expected) {
  const details = new shared.WrongExpectedVersion();
  if (error.current === -1) details.setCurrentNoStream(new WellKnownEmpty());
  else details.setCurrentStreamRevision(String(error.current));
  if (expected === 'any') details.setExpectedAny(new WellKnownEmpty());
  else if (expected === 'no_stream') details.setExpectedNoStream(new WellKnownEmpty());
  else if (expected === 'stream_exists') details.setExpectedStreamExists(new WellKnownEmpty());
  else details.setExpectedStreamPosition(String(expected));
  const any = new Any();
  any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return new Status().setCode(grpc.status.ALREADY_EXISTS).setMessage('WrongExpectedVersion').setDetails(any);
}

function internalStatus(error) {
  const any = new Any();
  any.pack(new shared.Unknown().serializeBinary(), 'event_store.client.Unknown');
  return new Status().setCode(grpc.status.INTERNAL).setMessage(String(error)).setDetails(any);
}

function getSupportedMethods(_call, callback) {
  const supported = new features.SupportedMethods().setEventStoreServerVersion('24.10.0-test-double');
  const methods = [
    ['event_store.client.streams.Streams', 'Read'],
    ['event_store.client.streams.Streams', 'Append'],
    ['event_store.client.streams.Streams', 'BatchAppend'],
    ['event_store.client.server_features.ServerFeatures', 'GetSupportedMethods'],
  ];
  for (const [service, method] of methods) {
    supported.addMethods(new features.SupportedMethod().setServiceName(service).setMethodName(method));
  }
  callback(null, supported);
}

// ---- process wiring ----

const server = new grpc.Server();
server.addService(StreamsService, { read, append, batchAppend });
server.addService(ServerFeaturesService, { getSupportedMethods });

const commands = {
  dropSubscriptions: ({ code = grpc.status.UNAVAILABLE }) => {
    const dropped = [...liveSubscriptions];
    liveSubscriptions.clear();
    for (const subscription of dropped) {
      subscription.stop();
      subscription.drop(code);
    }
    return { dropped: dropped.length };
  },
  appendSystemEvent: () => ({ position: log.appendSystemEvent().position }),
  stats: () => ({ ...calls, liveSubscriptions: liveSubscriptions.size }),
};

process.on('message', (message) => {
  if (message.type === 'stop') {
    server.forceShutdown();
    process.exit(0);
  }
  const command = commands[message.type];
  const result = command ? command(message) : { error: `unknown command ${message.type}` };
  process.send({ type: 'reply', id: message.id, result });
});
process.on('disconnect', () => process.exit(0)); // never outlive the test process

server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    process.send({ type: 'failed', error: String(error) });
    process.exit(1);
  }
  process.send({ type: 'listening', port });
});
