// redisDedupe against a real redis-server, with each client users bring (node-redis and
// ioredis): the keys it writes, who may release them, the lock for an event being handled,
// and the handler's answers around it (409 while in flight, 503 while Redis is down).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createWebhookHandler, DocSpaceError } from "../../pkg/index.mjs";
import { redisDedupe } from "../../pkg/redis.mjs";
import { SECRET, clients, delivery, sleep, startRedis } from "./support.mjs";

let redis;
let raw; // a plain client to look at and tamper with the keys
const open = [];
before(async () => {
  redis = await startRedis();
  raw = await clients["node-redis"](redis.port);
});
after(async () => {
  for (const connection of open) await connection.close();
  await raw.close();
  await redis.stop();
});

async function connect(kind, port = redis.port) {
  const connection = await clients[kind](port);
  open.push(connection);
  return connection.client;
}

/** A handler on `store` whose onEvent waits for `gate` (when given) and counts its runs. */
function receiver(store, { gate, failures = 0, ...options } = {}) {
  const runs = [];
  const errors = [];
  const handler = createWebhookHandler({
    secret: SECRET,
    dedupe: store,
    onError: (error, { stage }) => errors.push(stage),
    async onEvent(event) {
      runs.push(event.event.id);
      await gate;
      if (failures-- > 0) throw new Error("handler failed");
    },
    ...options,
  });
  const send = async (id) => {
    const { body, signature } = delivery(id);
    const response = await handler(
      new Request("http://receiver.test/hooks", { method: "POST", body, headers: { "x-docspace-signature-256": signature } }),
    );
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
  };
  return { send, runs, errors };
}

let nextId = 1;
const freshId = () => nextId++;

for (const kind of Object.keys(clients)) {
  describe(`with ${kind}`, () => {
    test("claim is one SET NX with a lock; a second claim is in flight; complete marks the id done for ttlMs", async () => {
      const prefix = `t:${kind}:`;
      const store = redisDedupe(await connect(kind), { prefix, ttlMs: 60_000, lockMs: 5_000 });
      const other = redisDedupe(await connect(kind), { prefix });
      const id = freshId();
      assert.equal(await store.claim(id), true);
      const held = await raw.client.get(`${prefix}${id}`);
      assert.match(held, /^claim:[0-9a-f-]{36}$/);
      const lock = await raw.client.pTTL(`${prefix}${id}`);
      assert.ok(lock > 0 && lock <= 5_000, `lock ttl ${lock}`);
      assert.equal(await other.claim(id), "in-flight", "another receiver meanwhile");
      assert.equal(await store.claim(id), "in-flight", "this receiver meanwhile");
      await store.complete(id);
      assert.equal(await raw.client.get(`${prefix}${id}`), "done");
      const remembered = await raw.client.pTTL(`${prefix}${id}`);
      assert.ok(remembered > 5_000 && remembered <= 60_000, `done ttl ${remembered}`);
      assert.equal(await other.claim(id), false, "handled: a duplicate");
    });

    test("release deletes the key only while this claim still holds it", async () => {
      const store = redisDedupe(await connect(kind), { prefix: `r:${kind}:` });
      const id = freshId();
      const key = `r:${kind}:${id}`;
      assert.equal(await store.claim(id), true);
      await store.release(id);
      assert.equal(await raw.client.get(key), null, "released: the retry may claim it");
      assert.equal(await store.claim(id), true);
      // The lock ran out and another receiver took the event: this claim must not free it.
      await raw.client.set(key, "claim:someone-else");
      await store.release(id);
      assert.equal(await raw.client.get(key), "claim:someone-else");
      await store.complete(id);
      assert.equal(await raw.client.get(key), "claim:someone-else", "nor mark it done under the other's feet");
      await raw.client.del(key);
      await store.complete(id);
      assert.equal(await raw.client.get(key), "done", "a lapsed lock nobody took is still marked done");
    });

    test("a lock whose holder died expires after lockMs; a live holder keeps renewing it", async () => {
      const store = redisDedupe(await connect(kind), { prefix: `l:${kind}:`, lockMs: 600 });
      const dead = freshId();
      await raw.client.set(`l:${kind}:${dead}`, "claim:crashed-process", { PX: 300 });
      assert.equal(await store.claim(dead), "in-flight");
      await sleep(400);
      assert.equal(await store.claim(dead), true, "the crashed holder's lock lapsed");
      const token = await raw.client.get(`l:${kind}:${dead}`);
      await sleep(2_000);
      assert.equal(await raw.client.get(`l:${kind}:${dead}`), token, "still held after 3 lock periods: renewed while onEvent runs");
      await store.complete(dead);
      assert.equal(await raw.client.get(`l:${kind}:${dead}`), "done");
    });

    test("handler: a retry while onEvent runs elsewhere gets 409; after a failure the retry runs it again", async () => {
      let open;
      const gate = new Promise((resolve) => (open = resolve));
      const first = receiver(redisDedupe(await connect(kind)), { gate, failures: 1 });
      const second = receiver(redisDedupe(await connect(kind)));
      const id = freshId();
      const running = first.send(id);
      while (!first.runs.includes(id)) await sleep(5); // the first receiver is inside onEvent
      const meanwhile = await second.send(id);
      assert.equal(meanwhile.status, 409, "never 200 while the first attempt may still fail");
      assert.ok(Number(meanwhile.retryAfter) > 0);
      open();
      assert.equal((await running).status, 500, "onEvent threw");
      assert.deepEqual(await second.send(id), { status: 200, retryAfter: null, body: { ok: true } }, "the retry runs it");
      assert.deepEqual((await first.send(id)).body, { ok: true, duplicate: true });
      assert.deepEqual([first.runs, second.runs], [[id], [id]]);
    });

    test("handler: Redis down answers 503 (fail-closed) or handles (fail-open); once back, the retry is handled once", async () => {
      const own = await startRedis();
      try {
        const client = await connect(kind, own.port);
        const closed = receiver(redisDedupe(client, { timeoutMs: 300 }));
        const failOpen = receiver(redisDedupe(client, { timeoutMs: 300 }), { onStoreError: "fail-open" });
        const id = freshId();
        await own.kill();
        const refused = await closed.send(id);
        assert.equal(refused.status, 503);
        assert.ok(Number(refused.retryAfter) > 0);
        assert.deepEqual(closed.runs, [], "fail-closed: not handled while the store is down");
        assert.deepEqual(closed.errors, ["claim"]);
        assert.equal((await failOpen.send(freshId())).status, 200, "fail-open: handled anyway");
        assert.equal(failOpen.runs.length, 1);
        await own.restart();
        let answer = refused;
        for (let i = 0; i < 100 && answer.status !== 200; i++) {
          await sleep(50);
          answer = await closed.send(id);
        }
        assert.deepEqual(answer.body, { ok: true }, "handled once Redis is back");
        assert.deepEqual((await closed.send(id)).body, { ok: true, duplicate: true });
        assert.deepEqual(closed.runs, [id]);
      } finally {
        await own.stop();
      }
    });
  });
}

test("the two clients share one store: a claim by either is seen by the other", async () => {
  const viaNodeRedis = redisDedupe(await connect("node-redis"));
  const viaIoredis = redisDedupe(await connect("ioredis"));
  const id = freshId();
  assert.equal(await viaIoredis.claim(id), true);
  assert.equal(await viaNodeRedis.claim(id), "in-flight");
  await viaIoredis.complete(id);
  assert.equal(await viaNodeRedis.claim(id), false);
});

test("bad arguments throw a DocSpaceError naming the argument, from import and from require", async () => {
  const required = createRequire(import.meta.url)(fileURLToPath(new URL("../../pkg/redis.cjs", import.meta.url)));
  const client = await connect("ioredis");
  for (const make of [redisDedupe, required.redisDedupe]) {
    for (const [args, pattern] of [
      [[{ get() {} }], /^client: must be a node-redis \(v4 or later\) or ioredis client/],
      [[undefined], /^client:/],
      [[client, { ttl: 5 }], /^ttl: unknown option; known options: prefix, ttlMs, lockMs, timeoutMs/],
      [[client, { ttlMs: 0 }], /^ttlMs: must be a positive whole number/],
      [[client, { lockMs: 1.5 }], /^lockMs:/],
      [[client, { prefix: 5 }], /^prefix: must be a string/],
      [[client, null], /^options:/],
    ]) {
      const error = thrown(() => make(...args));
      assert.ok(error instanceof DocSpaceError, "the package's own DocSpaceError class");
      assert.equal(error.kind, "invalid_input");
      assert.match(error.message, pattern);
    }
  }
});

/** What `call` throws (assert.throws checks, but does not return it). */
function thrown(call) {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
