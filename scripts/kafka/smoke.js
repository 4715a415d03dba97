'use strict';
// Smoke test for the local broker (scripts/kafka/kafka.sh start): creates a 3-partition topic,
// produces keyed messages with an idempotent producer, reads them back through a consumer group
// and checks that every message arrived and that each key's messages kept their order.
//
// usage: node scripts/kafka/smoke.js    (KAFKA_BROKERS, default 127.0.0.1:9092)
// exit 0 on success, 1 on any failure or after SMOKE_TIMEOUT_MS (default 60000).

const { randomUUID } = require('node:crypto');
const { setTimeout, clearTimeout } = require('node:timers');
const { Kafka, Partitioners, logLevel } = require('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS || 60000);
const PARTITIONS = 3;
const KEYS = ['centre-a', 'centre-b', 'centre-c', 'centre-d', 'centre-e'];
const PER_KEY = 6; // 5 keys x 6 = 30 messages

const runId = randomUUID().slice(0, 8);
const topic = `pcn-smoke-${runId}`;
const groupId = `pcn-smoke-group-${runId}`;

// kafkajs logs retriable errors (coordinator still loading on first use, ...) that it then
// retries; keep them and print them only when the smoke test fails.
const clientLog = [];
const logCreator =
  () =>
  ({ namespace, level, label, log }) => {
    if (level <= logLevel.WARN) clientLog.push(`${label} [${namespace}] ${log.message}${log.error ? `: ${log.error}` : ''}`);
  };
const kafka = new Kafka({ clientId: 'pcn-kafka-smoke', brokers, logLevel: logLevel.WARN, logCreator });
const admin = kafka.admin();
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
});
const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });

function fail(message) {
  console.error(`[smoke] FAIL: ${message}`);
  if (clientLog.length > 0) {
    console.error(`[smoke] last kafkajs warnings/errors:\n  ${clientLog.slice(-20).join('\n  ')}`);
  }
  return 1;
}

async function run() {
  const started = Date.now();
  await admin.connect();
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  });
  if (!created) return fail(`topic ${topic} already existed`);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitionCount = metadata.topics[0].partitions.length;
  if (partitionCount !== PARTITIONS) return fail(`topic has ${partitionCount} partitions, expected ${PARTITIONS}`);
  console.log(`[smoke] created topic ${topic} with ${partitionCount} partitions on ${brokers.join(',')}`);

  // Interleave keys so that ordering is only preserved if each key sticks to one partition.
  const sent = [];
  for (let seq = 0; seq < PER_KEY; seq += 1) {
    for (const key of KEYS) sent.push({ key, value: JSON.stringify({ key, seq }) });
  }
  await producer.connect();
  for (let i = 0; i < sent.length; i += 5) {
    await producer.send({ topic, messages: sent.slice(i, i + 5) });
  }
  console.log(`[smoke] produced ${sent.length} keyed messages (idempotent producer)`);

  const received = [];
  const partitionsByKey = new Map();
  let resolveAll;
  const allReceived = new Promise((resolve) => {
    resolveAll = resolve;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const body = JSON.parse(message.value.toString('utf8'));
      received.push(body);
      const seen = partitionsByKey.get(body.key) || new Set();
      seen.add(partition);
      partitionsByKey.set(body.key, seen);
      if (received.length >= sent.length) resolveAll();
    },
  });
  await allReceived;

  if (received.length !== sent.length) return fail(`received ${received.length} messages, expected ${sent.length}`);
  for (const key of KEYS) {
    const seqs = received.filter((m) => m.key === key).map((m) => m.seq);
    const expected = Array.from({ length: PER_KEY }, (_, i) => i);
    if (seqs.join(',') !== expected.join(',')) return fail(`key ${key} arrived as [${seqs}], expected [${expected}]`);
    const partitions = partitionsByKey.get(key);
    if (partitions.size !== 1) return fail(`key ${key} was spread over partitions ${[...partitions]}`);
  }
  const used = new Set([...partitionsByKey.values()].flatMap((s) => [...s]));
  console.log(
    `[smoke] consumer group ${groupId} received all ${received.length} messages in per-key order ` +
      `across ${used.size} partition(s) in ${Date.now() - started} ms`,
  );
  return 0;
}

async function cleanup() {
  await consumer.disconnect().catch(() => undefined);
  await producer.disconnect().catch(() => undefined);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
}

let timer;
const timedOut = new Promise((resolve) => {
  timer = setTimeout(() => resolve(fail(`timed out after ${timeoutMs} ms`)), timeoutMs);
});

Promise.race([run().catch((error) => fail(error && error.stack ? error.stack : String(error))), timedOut]).then(async (code) => {
  clearTimeout(timer);
  const cleanupTimer = setTimeout(() => process.exit(code), 10000);
  await cleanup();
  clearTimeout(cleanupTimer);
  if (code === 0) console.log('[smoke] OK: single-node broker serves idempotent producers and consumer groups');
  process.exit(code);
});
