// Two receiving hosts (child processes with node:http servers, one on node-redis, one on
// ioredis) sharing one real redis-server: every event sent to both at once runs onEvent once,
// and a Redis killed mid-run costs 503s, never an event.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { delivery, pool, post, postUntilAccepted, sleep, startReceiver, startRedis, tally } from "./support.mjs";

let redis;
const receivers = [];
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await redis?.stop();
});

async function twoHosts(settings = {}) {
  const hosts = await Promise.all(["node-redis", "ioredis"].map((client) => startReceiver({ client, redisPort: redis.port, ...settings })));
  receivers.push(...hosts);
  return hosts;
}

const ids = (from, count) => Array.from({ length: count }, (_, i) => from + i);

test("1,000 events, each delivered to both hosts at once, run onEvent exactly 1,000 times", async () => {
  const hosts = await twoHosts({ delayMs: 5 });
  const events = ids(1, 1000);
  const outcomes = await pool(events, 40, async (id) => {
    const signed = delivery(id);
    // The same delivery to both hosts concurrently; each retried like the portal until accepted.
    return Promise.all(hosts.map((host) => postUntilAccepted(host.url, signed)));
  });

  const handled = hosts.flatMap((host) => host.handled);
  assert.equal(handled.length, 1000, "onEvent ran 1,000 times in all");
  const counts = tally(handled);
  assert.deepEqual(
    events.filter((id) => counts.get(id) !== 1),
    [],
    "every event ran exactly once",
  );
  for (const [index, pair] of outcomes.entries()) {
    const finals = pair.map((answers) => answers.at(-1).body);
    const fresh = finals.filter((body) => body.ok && !body.duplicate).length;
    assert.equal(fresh, 1, `event ${events[index]}: one host handled it, the other answered duplicate`);
  }
  const refusals = outcomes.flat(2).filter((answer) => answer.status !== 200);
  assert.ok(
    refusals.every((answer) => answer.status === 409),
    `only 409 while the other host handled the event: ${JSON.stringify(refusals.find((a) => a.status !== 409))}`,
  );
  assert.ok(
    hosts.every((host) => host.handled.length > 100),
    `both hosts did work: ${hosts.map((host) => host.handled.length)}`,
  );
  console.log(
    `handled per host ${hosts.map((h) => h.handled.length).join(" + ")}; 409s answered while the other host was handling: ${refusals.length}`,
  );
});

test("Redis killed mid-run: the hosts answer 503, and once it is back every event is handled exactly once", async () => {
  const hosts = await twoHosts({ timeoutMs: 300, delayMs: 2 });
  const events = ids(5001, 300);
  let accepted = 0;
  const refused = [];
  let outage;
  const sending = pool(events, 10, async (id, index) => {
    const host = hosts[index % 2];
    const signed = delivery(id);
    for (;;) {
      const answer = await post(host.url, signed);
      if (answer.status === 200) {
        accepted += 1;
        if (accepted === 100) outage = killAndRestart(refused);
        return;
      }
      refused.push(answer.status);
      await sleep(25);
    }
  });
  await sending;
  await outage;

  assert.ok(refused.length >= 10, `the hosts refused while Redis was down (${refused.length} refusals)`);
  assert.deepEqual([...new Set(refused)], [503], "a store outage is answered 503, so the portal retries");
  const handled = hosts.flatMap((host) => host.handled);
  const counts = tally(handled);
  assert.deepEqual(
    events.filter((id) => counts.get(id) !== 1),
    [],
    "every event handled, once",
  );
  assert.equal(handled.length, events.length);
  assert.ok(
    hosts.every((host) => host.storeErrors.includes("claim")),
    "both clients saw the outage",
  );
  console.log(`503s while Redis was down: ${refused.length}; handled per host ${hosts.map((h) => h.handled.length).join(" + ")}`);
});

/** Kills Redis, waits until the hosts have refused a few deliveries, then starts it again. */
async function killAndRestart(refused) {
  await redis.kill();
  const before = refused.length;
  for (let i = 0; i < 200 && refused.length < before + 20; i++) await sleep(25);
  await redis.restart();
}
