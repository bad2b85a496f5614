// The stand-in portal's real deliveries to two receiving hosts behind a round-robin balancer,
// sharing one redis-server. The hosts fail 30 % of first attempts; the portal retries (each
// retry may land on the other host), and every event ends handled exactly once, as its
// delivery log shows too.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { WebhooksClient } from "../../pkg/index.mjs";
import { startPortal } from "../../pkg/portal/index.mjs";
import { SECRET, sleep, startReceiver, startRedis, tally } from "./support.mjs";

const EVENTS = 500;
let redis;
let portal;
let balancer;
const hosts = [];
const attempts = []; // { id, status, host } per POST the balancer passed on, in order

before(async () => {
  redis = await startRedis();
  for (const client of ["node-redis", "ioredis"]) {
    hosts.push(await startReceiver({ client, redisPort: redis.port, failFirstPercent: 30, delayMs: 5 }));
  }
  balancer = await roundRobin(hosts.map((host) => host.url));
  portal = await startPortal({ allowLoopback: true, timeScale: 0.01 });
});

after(async () => {
  await portal?.close();
  if (balancer) {
    balancer.closeAllConnections();
    await new Promise((resolve) => balancer.close(resolve));
  }
  await Promise.all(hosts.map((host) => host.stop()));
  await redis?.stop();
});

/** A load balancer in front of the hosts: each request goes to the next host in turn. */
async function roundRobin(urls) {
  let turn = 0;
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const host = turn++ % urls.length;
    const answer = await fetch(urls[host], {
      method: req.method,
      headers: { "content-type": "application/json", "x-docspace-signature-256": req.headers["x-docspace-signature-256"] ?? "" },
      body: req.method === "POST" ? body : undefined,
    });
    if (req.method === "POST") attempts.push({ id: JSON.parse(body).event.id, status: answer.status, host });
    res.writeHead(answer.status, { "content-type": "application/json" }).end(Buffer.from(await answer.arrayBuffer()));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

test(`${EVENTS} events delivered by the stand-in portal, 30 % failing their first attempt, are each handled exactly once`, async () => {
  const owner = new WebhooksClient({ baseUrl: portal.url, token: portal.users.find((user) => user.role === "owner").token });
  const { port } = balancer.address();
  const webhook = await owner.createWebhook({
    name: "two hosts",
    uri: `http://127.0.0.1:${port}/docspace`,
    secretKey: SECRET,
    ssl: false,
    triggers: ["FileUploaded"],
  });
  const logIds = [];
  for (let i = 0; i < EVENTS; i++) logIds.push(...(await portal.emit("FileUploaded", { id: i, title: `file-${i}.docx` })));
  assert.equal(logIds.length, EVENTS);

  // The portal's own delivery log: wait until no row is still pending.
  let rows = [];
  for (let i = 0; i < 300; i++) {
    rows = [];
    for await (const row of owner.webhooksLogs({ configId: webhook.id })) rows.push(row);
    if (rows.length === EVENTS && rows.every((row) => row.status !== 0)) break;
    await sleep(100);
  }
  assert.equal(rows.length, EVENTS);
  assert.deepEqual(
    rows.filter((row) => row.status !== 200).map((row) => [row.id, row.status]),
    [],
    "the log shows every event delivered",
  );

  const handled = tally(hosts.flatMap((host) => host.handled));
  assert.deepEqual(
    logIds.filter((id) => handled.get(id) !== 1),
    [],
    "each logged event ran onEvent exactly once",
  );
  assert.equal(handled.size, EVENTS, "and nothing else ran");

  const byEvent = new Map(logIds.map((id) => [id, []]));
  for (const attempt of attempts) byEvent.get(attempt.id).push(attempt);
  const failedFirst = logIds.filter((id) => id % 100 < 30);
  for (const id of logIds) {
    const statuses = byEvent.get(id).map((attempt) => attempt.status);
    if (failedFirst.includes(id)) {
      assert.equal(statuses[0], 500, `event ${id}: its first attempt failed`);
      assert.equal(statuses.at(-1), 200, `event ${id}: a retry succeeded`);
    } else assert.deepEqual(statuses, [200], `event ${id}: one attempt`);
  }
  assert.ok(failedFirst.length >= EVENTS * 0.25, `${failedFirst.length} events failed their first attempt`);
  const movedHost = failedFirst.filter((id) => new Set(byEvent.get(id).map((attempt) => attempt.host)).size > 1);
  assert.ok(movedHost.length > 0, "some retries landed on the other host");
  console.log(
    `${attempts.length} attempts for ${EVENTS} events; ${failedFirst.length} failed first, ${movedHost.length} of them retried on the other host`,
  );
});
