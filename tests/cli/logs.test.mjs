// `logs`: filters, the table and the stable JSON; `logs --follow`: each new delivery printed
// exactly once, when it settles, until Ctrl+C.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHook, run, settled, standIn, start, startReceiver, stopAll } from "./support.mjs";

after(stopAll);

const RECORD_KEYS = [
  "id",
  "webhookId",
  "webhookName",
  "event",
  "triggerId",
  "outcome",
  "status",
  "createdAt",
  "deliveredAt",
  "eventCreatedAt",
  "response",
  "payload",
];

describe("logs", () => {
  let stand;
  let receiver;
  let hooks;
  before(async () => {
    stand = await standIn();
    receiver = await startReceiver((entry) => (entry.method === "POST" && entry.url === "/fail" ? 503 : 200));
    const doomed = await startReceiver();
    hooks = {
      ok: await createHook(stand, { name: "Ok", uri: `${receiver.url}/ok` }),
      fail: await createHook(stand, { name: "Fail", uri: `${receiver.url}/fail` }),
      dead: await createHook(stand, { name: "Dead", uri: `${doomed.url}/dead`, events: "FileUploaded" }),
    };
    await doomed.close(); // its deliveries get no answer at all: "not sent"
    await stand.portal.emit("FileUploaded", { id: 1 });
    await stand.portal.emit("RoomCreated", { id: 2 });
    await settled(stand.portal, stand.token("owner"), 5);
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
  });

  const logs = async (...args) => {
    const { code, stdout, stderr } = await run(["logs", ...args], { env: stand.env() });
    assert.equal(code, 0, stderr);
    return args.includes("--json") ? JSON.parse(stdout) : { stdout, stderr };
  };

  test("the table: newest first, outcomes in words", async () => {
    const { stdout } = await logs();
    const [header, ...rows] = stdout.trimEnd().split("\n");
    assert.match(header, /^ID {2}CREATED +WEBHOOK {2}EVENT +STATUS$/);
    assert.equal(rows.length, 5);
    const ids = rows.map((row) => Number(row.trim().split(/\s+/)[0]));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    assert.ok(
      rows.some((row) => / Ok +room\.created +200 OK$/.test(row)),
      stdout,
    );
    assert.ok(
      rows.some((row) => / Fail +file\.uploaded +503 Service Unavailable$/.test(row)),
      stdout,
    );
    assert.ok(
      rows.some((row) => / Dead +file\.uploaded +not sent$/.test(row)),
      stdout,
    );
  });

  test("--json: every key, always, in a stable order", async () => {
    const records = await logs("--json");
    assert.equal(records.length, 5);
    for (const record of records) assert.deepEqual(Object.keys(record), RECORD_KEYS);
    const failed = records.find((record) => record.webhookName === "Fail" && record.event === "file.uploaded");
    assert.equal(failed.outcome, "failed");
    assert.equal(failed.status, 503);
    assert.equal(failed.deliveredAt, null);
    assert.equal(failed.webhookId, hooks.fail.id);
    assert.equal(failed.triggerId, 256);
    assert.deepEqual(failed.payload.payload, { id: 1 });
    assert.equal(failed.payload.event.id, failed.id);
    assert.match(failed.response, /503/);
    const delivered = records.find((record) => record.webhookName === "Ok" && record.event === "room.created");
    assert.equal(delivered.outcome, "delivered");
    assert.ok(delivered.deliveredAt);
    assert.equal(records.find((record) => record.webhookName === "Dead").outcome, "not-sent");
  });

  test("filters: --status, --event, --webhook, --limit, --since, --until", async () => {
    const pick = (records) => records.map((record) => `${record.webhookName} ${record.event}`).sort();
    assert.deepEqual(pick(await logs("--json", "--status", "5xx")), ["Fail file.uploaded", "Fail room.created"]);
    assert.deepEqual(pick(await logs("--json", "--status", "not-sent")), ["Dead file.uploaded"]);
    assert.deepEqual(pick(await logs("--json", "--status", "4xx,5xx,not-sent")), [
      "Dead file.uploaded",
      "Fail file.uploaded",
      "Fail room.created",
    ]);
    assert.deepEqual(pick(await logs("--json", "--status", "failed")), ["Dead file.uploaded", "Fail file.uploaded", "Fail room.created"]);
    assert.deepEqual(pick(await logs("--json", "--status", "2xx")), ["Ok file.uploaded", "Ok room.created"]);
    assert.deepEqual(pick(await logs("--json", "--event", "room.created")), ["Fail room.created", "Ok room.created"]);
    assert.deepEqual(pick(await logs("--json", "--event", "RoomCreated")), ["Fail room.created", "Ok room.created"]);
    assert.deepEqual(pick(await logs("--json", "--webhook", String(hooks.ok.id))), ["Ok file.uploaded", "Ok room.created"]);
    const all = await logs("--json");
    assert.deepEqual(await logs("--json", "--limit", "2"), all.slice(0, 2));
    assert.equal((await logs("--json", "--since", "1h")).length, 5);
    assert.equal((await logs("--json", "--until", "1h")).length, 0);
    assert.equal((await logs("--json", "--since", new Date(Date.now() + 3_600_000).toISOString())).length, 0);
    const empty = await logs("--until", "1h");
    assert.deepEqual([empty.stdout, empty.stderr], ["", "No deliveries match.\n"]);
  });
});

describe("logs --follow", () => {
  let stand;
  let receiver;
  before(async () => {
    stand = await standIn();
    receiver = await startReceiver((entry) => (entry.method === "POST" && entry.url === "/fail" ? 503 : 200));
    await createHook(stand, { name: "Ok", uri: `${receiver.url}/ok` });
    await createHook(stand, { name: "Fail", uri: `${receiver.url}/fail`, events: "FileUploaded" });
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
  });

  test("prints each new delivery exactly once, when it settles, and nothing from before; Ctrl+C ends it with 0", async () => {
    const before = await stand.portal.emit("FileUploaded", { id: "old" });
    await settled(stand.portal, stand.token("owner"), before.length);
    const follower = start(["logs", "--follow", "--json", "--interval", "0.05"], { env: stand.env() });
    await follower.until(() => follower.stderr().includes("Following deliveries"), "the follower to start");

    // Deliveries arrive while it polls: some settle at once, the failing ones after the portal's
    // own retries (0.31 s here), so they are in flight across several polls.
    const expected = [];
    for (let round = 0; round < 6; round++) {
      expected.push(...(await stand.portal.emit(round % 2 ? "RoomCreated" : "FileUploaded", { id: round })));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await settled(stand.portal, stand.token("owner"), before.length + expected.length);
    await follower.until(() => follower.lines.length >= expected.length, `${expected.length} lines`);
    // A few more polls: nothing may come twice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { code, lines } = await follower.stop("SIGINT");
    assert.equal(code, 0);

    const printed = lines.map((line) => JSON.parse(line));
    assert.deepEqual(
      printed.map((record) => record.id).sort((a, b) => a - b),
      [...expected].sort((a, b) => a - b),
      "each new delivery once, none from before",
    );
    for (const record of printed) assert.notEqual(record.outcome, "pending", `printed before it settled: ${record.id}`);
    assert.equal(printed.filter((record) => record.outcome === "failed").length, 3);
  });

  test("--status keeps the outcome asked for, judged once settled; text lines otherwise", async () => {
    const follower = start(["logs", "--follow", "--status", "5xx", "--interval", "0.05"], { env: stand.env() });
    await follower.until(() => follower.stderr().includes("Following deliveries"), "the follower to start");
    const ids = await stand.portal.emit("FileUploaded", { id: "status" });
    await follower.until(() => follower.lines.length >= 1, "the failed delivery");
    await settled(stand.portal, stand.token("owner"), ids.at(-1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { code, lines } = await follower.stop("SIGINT");
    assert.equal(code, 0);
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d+ {2}file\.uploaded +Fail +503 Service Unavailable {2}Response status code/);
  });
});
