// `retry`: by id, and `--failed`, which redelivers every failed event once, never one that a
// later redelivery got through, waits out the portal's 429s, and sums up with the ids.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { planRedelivery } from "../../pkg/cli/retry.mjs";
import { eventKey } from "../../pkg/cli/deliveries.mjs";
import { allRecords, createHook, onTerminal, run, settled, standIn, start, startReceiver, stopAll } from "./support.mjs";

after(stopAll);

const payloadId = (record) => JSON.parse(record.requestPayload).payload.id;
const retryJson = async (env, ...args) => {
  const { code, stdout, stderr } = await run(["retry", ...args, "--json"], { env });
  return { code, summary: JSON.parse(stdout), stderr };
};

/**
 * For a describe block: a stand-in (with `portalOptions`) and one webhook on FileUploaded whose
 * receiver fails every delivery (503; the HEAD probe passes). Its fields fill in before the tests.
 */
function failingHook(portalOptions) {
  const context = {};
  before(async () => {
    context.stand = await standIn(portalOptions);
    context.receiver = await startReceiver((entry) => (entry.method === "POST" ? 503 : 200));
    await createHook(context.stand, { name: "Failing", uri: `${context.receiver.url}/f`, events: "FileUploaded" });
  });
  after(async () => {
    await context.stand?.portal.close();
    await context.receiver?.close();
  });
  return context;
}

/** Three events whose deliveries have all failed (the portal has given up retrying them). */
async function failThree(stand) {
  for (let i = 0; i < 3; i++) await stand.portal.emit("FileUploaded", { id: i });
  await settled(stand.portal, stand.token("owner"), 3);
}

describe("retry ID…", () => {
  const context = failingHook();

  test("redelivers the given deliveries as new ones; an unknown id is reported as failed (exit 1)", async () => {
    const { stand } = context;
    const ids = [...(await stand.portal.emit("FileUploaded", { id: 1 })), ...(await stand.portal.emit("FileUploaded", { id: 2 }))];
    await settled(stand.portal, stand.token("owner"), 2);
    const { code, stdout, stderr } = await run(["retry", ...ids.map(String)], { env: stand.env() });
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^Redelivered 2: ${ids.join(", ")}\\n  new deliveries: 3, 4\\nSkipped 0\\nFailed 0\\n$`));
    const records = await settled(stand.portal, stand.token("owner"), 4);
    assert.deepEqual(records.map(payloadId), [2, 1, 2, 1], "the new records carry the same events");

    const { code: failedCode, summary } = await retryJson(stand.env(), "1", "99999");
    assert.equal(failedCode, 1);
    assert.deepEqual(summary.redelivered, [{ id: 1, newId: 5 }]);
    assert.deepEqual(summary.failed, [{ id: 99999, error: "the portal skipped it (deleted, or not the token user's)" }]);
  });
});

describe("retry --failed: what counts as already redelivered", () => {
  let stand;
  let receiver;
  let mode = "fail";
  let hooks;
  before(async () => {
    stand = await standIn();
    receiver = await startReceiver((entry) => {
      entry.ok = mode === "ok";
      return entry.method !== "POST" || mode === "ok" ? 200 : 503;
    });
    hooks = {
      a: await createHook(stand, { name: "A", uri: `${receiver.url}/a`, events: "FolderCreated,FileUploaded" }),
      b: await createHook(stand, { name: "B", uri: `${receiver.url}/b`, events: "RoomCreated" }),
    };
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
  });

  test("an event redelivered with success is skipped; of a chain of failures only the newest goes, once", async () => {
    const owner = stand.token("owner");
    // Four events to webhook A and one to B, all failing. The twins come (usually in the same
    // second) with different payloads: two events, both to be redelivered.
    const [delivered] = await stand.portal.emit("FolderCreated", { id: "delivered" });
    const [chained] = await stand.portal.emit("FolderCreated", { id: "chained" });
    const [twin1] = await stand.portal.emit("FileUploaded", { id: "twin", n: 1 });
    const [twin2] = await stand.portal.emit("FileUploaded", { id: "twin", n: 2 });
    await stand.portal.emit("RoomCreated", { id: "on B" });
    await settled(stand.portal, owner, 5);

    // `chained`: redelivered while still failing. `delivered`: redelivered once the receiver is back.
    const [chainedRetry] = (await retryJson(stand.env(), String(chained))).summary.redelivered;
    await settled(stand.portal, owner, 6);
    mode = "ok";
    const [deliveredRetry] = (await retryJson(stand.env(), String(delivered))).summary.redelivered;
    let records = await settled(stand.portal, owner, 7);
    const byId = (id) => records.find((r) => r.id === id);
    assert.equal(byId(deliveredRetry.newId).status, 200);
    assert.equal(JSON.parse(byId(deliveredRetry.newId).requestPayload).event.id, deliveredRetry.newId, "the portal re-ids a redelivery");
    assert.equal(eventKey(byId(deliveredRetry.newId)), eventKey(byId(delivered)), "yet it keeps its original's key");
    assert.notEqual(eventKey(byId(delivered)), eventKey(byId(chained)));
    assert.notEqual(eventKey(byId(twin1)), eventKey(byId(twin2)));

    const plan = await retryJson(stand.env(), "--failed", "--webhook", String(hooks.a.id), "--dry-run");
    assert.equal(plan.code, 0);
    assert.deepEqual(
      plan.summary.redelivered.map((entry) => entry.id),
      [twin1, twin2, chainedRetry.newId].sort((x, y) => x - y),
    );
    assert.deepEqual(plan.summary.skipped, [
      { id: delivered, reason: `delivered by ${deliveredRetry.newId}` },
      { id: chained, reason: `superseded by ${chainedRetry.newId}` },
    ]);
    assert.equal(plan.summary.dryRun, true);
    assert.equal((await allRecords(stand.portal, owner)).length, 7, "a dry run sends nothing");

    const { code, stdout } = await run(["retry", "--failed"], { env: stand.env() });
    assert.equal(code, 0);
    assert.match(stdout, /^Redelivered 4: /, "A's three and B's one");
    records = await settled(stand.portal, owner, 11);
    const again = await retryJson(stand.env(), "--failed");
    assert.deepEqual(again.summary.redelivered, [], "a second run finds everything delivered");
    assert.equal(again.summary.skipped.length, 6);
    assert.ok(
      again.summary.skipped.every((entry) => /^delivered by \d+$/.test(entry.reason)),
      JSON.stringify(again.summary.skipped),
    );
    // Every event reached the receiver, each exactly once.
    const events = receiver
      .posts()
      .filter((entry) => entry.ok)
      .map((entry) => `${entry.url} ${JSON.stringify(JSON.parse(entry.raw).payload)}`);
    assert.equal(events.length, 5);
    assert.equal(new Set(events).size, 5);
  });

  test("--since leaves older failures alone", async () => {
    mode = "fail";
    const owner = stand.token("owner");
    const total = (await allRecords(stand.portal, owner)).length;
    const [old] = await stand.portal.emit("RoomCreated", { id: "old" });
    await settled(stand.portal, owner, total + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cut = new Date().toISOString();
    const [fresh] = await stand.portal.emit("RoomCreated", { id: "fresh" });
    await settled(stand.portal, owner, total + 2);
    const plan = await retryJson(stand.env(), "--failed", "--since", cut, "--dry-run");
    assert.deepEqual(
      plan.summary.redelivered.map((entry) => entry.id),
      [fresh],
      `not ${old}`,
    );
  });
});

describe("retry --failed: 300 failures with the rate limit on", () => {
  let stand;
  let receiver;
  let failing = true;
  before(async () => {
    // The limiter of the real server's retry endpoints, with a window short enough for a test.
    stand = await standIn({ retryRateLimit: { limit: 2, windowMs: 1000 } });
    receiver = await startReceiver((entry) => {
      entry.ok = !failing;
      return entry.method !== "POST" || !failing ? 200 : 503;
    });
    await createHook(stand, { name: "Outage", uri: `${receiver.url}/outage`, events: "FileUploaded" });
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
  });

  test("all are redelivered, none twice; 429s are waited out; a second run redelivers nothing", async () => {
    const owner = stand.token("owner");
    const originals = [];
    for (let i = 0; i < 300; i++) originals.push(...(await stand.portal.emit("FileUploaded", { id: i })));
    await settled(stand.portal, owner, 300);
    failing = false;

    const { code, summary, stderr } = await retryJson(stand.env(), "--failed", "--batch-size", "25");
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      summary.redelivered.map((entry) => entry.id),
      [...originals].sort((a, b) => a - b),
    );
    const newIds = summary.redelivered.map((entry) => entry.newId);
    assert.equal(new Set(newIds).size, 300);
    assert.ok(newIds.every((id) => !originals.includes(id)));
    assert.deepEqual([summary.skipped, summary.failed, summary.notTried], [[], [], []]);
    assert.ok(summary.rateLimitWaits >= 1, "the limit was hit");
    assert.match(stderr, /^rate limited by the portal: waiting \d+ s \(Retry-After\)$/m);

    const records = await settled(stand.portal, owner, 600);
    assert.equal(records.length, 600, "one new record per failure, no more");
    const perEvent = new Map();
    for (const record of records) perEvent.set(payloadId(record), (perEvent.get(payloadId(record)) ?? 0) + 1);
    assert.ok([...perEvent.values()].every((count) => count === 2));
    const delivered = receiver.posts().filter((entry) => entry.ok);
    assert.equal(delivered.length, 300);
    assert.equal(new Set(delivered.map((entry) => JSON.parse(entry.raw).payload.id)).size, 300, "each event delivered once");

    const again = await retryJson(stand.env(), "--failed", "--batch-size", "25");
    assert.equal(again.code, 0);
    assert.deepEqual(again.summary.redelivered, []);
    assert.equal(again.summary.skipped.length, 300);
    assert.equal((await allRecords(stand.portal, owner)).length, 600);
  });
});

describe("retry: Ctrl+C while waiting out the rate limit", () => {
  const context = failingHook({ retryRateLimit: { limit: 1, windowMs: 600_000 } });

  test("stops, sums up what was done and what was not tried, exits 130", async () => {
    const { stand } = context;
    await failThree(stand);
    const retry = start(["retry", "--failed", "--batch-size", "1"], { env: stand.env() });
    await retry.until(() => /waiting \d+ s/.test(retry.stderr()), "the rate-limit wait");
    const { code, lines } = await retry.stop("SIGINT");
    assert.equal(code, 130);
    const text = lines.join("\n");
    assert.match(text, /^Redelivered 1: 1\n {2}new deliveries: 4\n/);
    assert.match(text, /^Interrupted: not tried 2: 2, 3$/m);
  });
});

describe("retry on a terminal", () => {
  const context = failingHook({ retryRateLimit: { limit: 1, windowMs: 1000 } });

  test("a progress bar, redrawn in place, with the rate-limit wait in it", async () => {
    const { stand } = context;
    await failThree(stand);
    const { code, output } = await onTerminal(["retry", "--failed", "--batch-size", "1"], { env: { ...stand.env(), NO_COLOR: "1" } });
    assert.equal(code, 0, output);
    assert.match(output, /\r\x1b\[2K\[#{10}-{20}\] 1\/3 redelivered · rate limited by the portal: waiting 1 s \(Retry-After\)/);
    assert.match(output, /\r\x1b\[2K\[#{30}\] 3\/3 redelivered/);
    assert.match(output, /Redelivered 3: 1–3\r?\n/);
  });
});

describe("planRedelivery (the grouping, on records as the portal returns them)", () => {
  const record = (
    id,
    status,
    payload,
    { createOn = "2026-06-30T10:13:11Z", webhook = 7, responsePayload = status ? "x" : undefined } = {},
  ) => ({
    id,
    status,
    trigger: 256,
    creationTime: "2026-06-30T10:13:12Z",
    responsePayload,
    requestPayload: JSON.stringify({
      event: { id, createOn, createBy: "u", trigger: "file.uploaded", triggerId: 256 },
      payload,
      webhook: { id: webhook },
    }),
  });

  test("key order in the payload does not matter; time, webhook and payload do", () => {
    const plan = planRedelivery([
      record(1, 503, { a: 1, b: 2 }),
      record(2, 200, { b: 2, a: 1 }),
      record(3, 503, { a: 1, b: 3 }),
      record(4, 503, { a: 1, b: 2 }, { createOn: "2026-06-30T10:13:12Z" }),
      record(5, 503, { a: 1, b: 2 }, { webhook: 8 }),
    ]);
    assert.deepEqual(plan, { redeliver: [3, 4, 5], skipped: [{ id: 1, reason: "delivered by 2" }] });
  });

  test("a pending delivery of the event holds it back; a body that is not a delivery stands alone", () => {
    const plan = planRedelivery([
      record(1, 503, { a: 1 }),
      record(2, 0, { a: 1 }),
      { id: 3, status: 500, trigger: 1, creationTime: "2026-06-30T10:13:12Z", requestPayload: "not json", responsePayload: "x" },
      { id: 4, status: 500, trigger: 1, creationTime: "2026-06-30T10:13:12Z", requestPayload: "not json", responsePayload: "x" },
    ]);
    assert.deepEqual(plan, { redeliver: [3, 4], skipped: [{ id: 1, reason: "being delivered by 2" }] });
  });
});
