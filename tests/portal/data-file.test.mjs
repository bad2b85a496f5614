// The --data file as the README's stand-in section promises it: a change answered 200 is on disk
// before the answer (a SIGKILL right after it loses nothing), a path the portal cannot write or
// an inconsistent file stops the start with a clear message and nothing printed as the URL, a
// crash leaves no temp file that outlives the next start, and the file is readable by its owner only.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, startCli, startReceiver } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "docspace-portal-data-"));
const running = new Set();
// The webhooks' receiver outlives the portal processes (each restart gets a new port).
const receiver = await startReceiver();
after(async () => {
  for (const child of running) child.kill("SIGKILL");
  await receiver.close();
  rmSync(work, { recursive: true, force: true });
});

const WEBHOOK = "/api/2.0/settings/webhook";
const LOG = "/api/2.0/settings/webhooks/log";
const ROUNDS = 10;

/** One exchange on its own connection; resolves once the whole answer has arrived. */
function call(portal, method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${portal.token("owner")}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const outgoing = request(portal.url + path, { method, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, json: text ? JSON.parse(text) : null }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function kill(portal) {
  portal.child.kill("SIGKILL");
  await once(portal.child, "exit");
}

const start = (data) => startCli(["--data", data, "--allow-loopback"], running);

const hook = (name) => ({
  name,
  uri: `${receiver.url}/in/${name}`,
  secretKey: "S3cret-Key!",
  enabled: true,
  triggers: 0,
});

async function listed(portal) {
  const { json } = await call(portal, "GET", WEBHOOK);
  return new Map(json.response.map((item) => [item.configs.id, item.configs]));
}

async function logRow(portal, id) {
  const { json } = await call(portal, "GET", `${LOG}?eventId=${id}`);
  return json.response[0];
}

/**
 * `rounds` times: a fresh process on the same file makes one change of a kind, gets its 200 and
 * is killed at once; the next process must show the change. `change(portal, round)` resolves to
 * a check `(portal) => …` run after the restart.
 */
async function killedAfterEach(data, change) {
  let check = null;
  for (let round = 0; round <= ROUNDS; round++) {
    const portal = await start(data);
    try {
      if (check) await check(portal);
      if (round < ROUNDS) check = await change(portal, round);
    } finally {
      await kill(portal);
    }
  }
}

test("every kind of change answered 200 survives a SIGKILL right after its answer", { timeout: 600_000 }, async (t) => {
  const data = join(work, "kinds.json");
  // Webhooks to update, toggle and delete, and log rows to retry, made by a cleanly stopped portal.
  const setup = await start(data);
  const ids = [];
  for (let i = 0; i < ROUNDS + 2; i++) ids.push((await call(setup, "POST", WEBHOOK, hook(`base-${i}`))).json.response.id);
  const emitted = (await call(setup, "POST", "/stand-in/events", { trigger: "FileCreated", data: { id: 1 } })).json.response;
  assert.equal(emitted.length, ids.length);
  setup.child.kill("SIGTERM");
  await once(setup.child, "exit");

  await t.test("create", () =>
    killedAfterEach(data, async (portal, round) => {
      const made = await call(portal, "POST", WEBHOOK, hook(`created-${round}`));
      assert.equal(made.status, 200);
      return async (again) => assert.equal((await listed(again)).get(made.json.response.id)?.name, `created-${round}`);
    }),
  );
  await t.test("update", () =>
    killedAfterEach(data, async (portal, round) => {
      const name = `renamed-${round}`;
      const updated = await call(portal, "PUT", WEBHOOK, { ...hook("base-0"), id: ids[0], name });
      assert.equal(updated.status, 200);
      return async (again) => assert.equal((await listed(again)).get(ids[0]).name, name);
    }),
  );
  await t.test("enable and disable", () =>
    killedAfterEach(data, async (portal, round) => {
      const enabled = round % 2 === 1;
      const answer = await call(portal, "PUT", `${WEBHOOK}/enable`, { id: ids[1], name: "x", uri: "x", enabled });
      assert.equal(answer.status, 200);
      return async (again) => assert.equal((await listed(again)).get(ids[1]).enabled, enabled);
    }),
  );
  await t.test("delete", () =>
    killedAfterEach(data, async (portal, round) => {
      const id = ids[2 + round];
      assert.equal((await call(portal, "DELETE", `${WEBHOOK}/${id}`)).status, 200);
      return async (again) => assert.ok(!(await listed(again)).has(id), `webhook ${id} stays deleted`);
    }),
  );
  await t.test("retry", () =>
    killedAfterEach(data, async (portal) => {
      const retried = await call(portal, "PUT", `${WEBHOOK}/${emitted[0]}/retry`);
      assert.equal(retried.status, 200);
      return async (again) => assert.equal((await logRow(again, retried.json.response.id))?.id, retried.json.response.id);
    }),
  );
  await t.test("batch retry", () =>
    killedAfterEach(data, async (portal) => {
      const retried = await call(portal, "PUT", `${WEBHOOK}/retry`, { ids: emitted.slice(0, 2) });
      assert.equal(retried.status, 200);
      const made = retried.json.response.map((row) => row.id);
      assert.equal(made.length, 2);
      return async (again) => {
        for (const id of made) assert.equal((await logRow(again, id))?.id, id);
      };
    }),
  );
  await t.test("an event", () =>
    killedAfterEach(data, async (portal, round) => {
      const event = await call(portal, "POST", "/stand-in/events", { trigger: "FileUploaded", data: { id: round } });
      assert.equal(event.status, 200);
      const made = event.json.response;
      assert.ok(made.length > 0);
      return async (again) => {
        for (const id of made) assert.equal((await logRow(again, id))?.id, id);
      };
    }),
  );
});

test("under concurrent creates, every acknowledged webhook survives a SIGKILL", { timeout: 120_000 }, async () => {
  const data = join(work, "concurrent.json");
  const portal = await start(data);
  const acknowledged = [];
  let killed = false;
  const creates = Array.from({ length: 50 }, (_, i) =>
    call(portal, "POST", WEBHOOK, hook(`c${i}`)).then(
      async (answer) => {
        if (answer.status !== 200) return;
        acknowledged.push(answer.json.response.id);
        if (acknowledged.length === 25 && !killed) {
          killed = true;
          await kill(portal);
        }
      },
      () => {}, // cut off by the kill: not acknowledged, so it may or may not be there
    ),
  );
  await Promise.all(creates);
  if (!killed) await kill(portal);
  assert.ok(acknowledged.length >= 25, `${acknowledged.length} acknowledged`);
  const again = await start(data);
  const kept = await listed(again);
  await kill(again);
  const lost = acknowledged.filter((id) => !kept.has(id));
  assert.deepEqual(lost, [], `acknowledged ${acknowledged.length}, kept ${kept.size}`);
});

/** Starts the CLI expecting a refusal: exit 1, the message on stderr, no URL on stdout. */
async function refused(args, message) {
  const result = await runCli(args);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.equal(result.stdout, "", "nothing printed as the URL");
}

test("a --data path the portal cannot write stops the start", async () => {
  await refused(
    ["--data", join(work, "missing-dir", "state.json")],
    /cannot write the data file: its directory .*missing-dir does not exist/,
  );
  const dir = join(work, "a-directory");
  mkdirSync(dir);
  await refused(["--data", dir], /is a directory, not a data file; not starting/);
  await refused(
    ["--data", "/proc/docspace-portal-test.json"],
    /cannot write the data file: no file can be created in \/proc; not starting/,
  );
  assert.ok(!existsSync(join(work, "missing-dir")));
});

test("inconsistent data files are refused with the reason and left untouched", async () => {
  const owner = { id: "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d", displayName: "O", role: "owner", token: "sk-owner-a" };
  const admin = { id: "1f5c2d7e-3b4a-4c5d-8e6f-7a8b9c0d1e2f", displayName: "A", role: "admin", token: "sk-admin-b" };
  const config = (id) => ({
    id,
    name: `w${id}`,
    uri: "https://hooks.example.com/in",
    secretKey: "S3cret-Key!",
    enabled: true,
    ssl: true,
    triggers: 0,
    createdBy: owner.id,
    createdOn: 0,
  });
  const state = (changes) => ({
    users: [owner, admin],
    configs: [config(1), config(2)],
    logs: [],
    nextConfigId: 3,
    nextLogId: 1,
    ...changes,
  });
  const cases = [
    [state({ configs: [config(1), config(1)] }), /webhook id 1 is used twice/],
    [state({ nextConfigId: 2 }), /webhook id 2 is not below the next id 2: a new one would reuse it/],
    [state({ nextConfigId: 4294967295 }), /the next webhook id 4294967295 is outside 1\.\.=2147483648/],
    [state({ nextLogId: 4294967295 }), /the next log row id 4294967295 is outside/],
    [state({ users: [owner, { ...admin, token: owner.token }] }), /two users share a token/],
    [state({ users: [] }), /it has no users/],
  ];
  for (const [content, reason] of cases) {
    const data = join(work, "inconsistent.json");
    const text = JSON.stringify(content);
    writeFileSync(data, text);
    await refused(["--data", data], reason);
    assert.equal(readFileSync(data, "utf8"), text, "the file is untouched");
    assert.deepEqual(
      readdirSync(work).filter((name) => name.endsWith(".tmp")),
      [],
      "no temp file",
    );
  }
});

test("temp files of dead writers are removed at start; the data file is 0600", async () => {
  const data = join(work, "mode.json");
  // A pid that surely ran and ended: a child that has exited.
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
  writeFileSync(`${data}.${dead}.tmp`, "{half a write");
  writeFileSync(`${data}.${process.pid}.tmp`, "{a live writer's}");
  writeFileSync(data.replace(".json", ".other.1.tmp"), "not ours");
  const portal = await start(data);
  assert.equal(statSync(data).mode & 0o777, 0o600, "tokens and secrets: the owner's only");
  assert.ok(!existsSync(`${data}.${dead}.tmp`), "a dead writer's temp file is gone");
  assert.ok(existsSync(`${data}.${process.pid}.tmp`), "a running process's is left alone");
  await kill(portal);
  rmSync(`${data}.${process.pid}.tmp`);

  // A file written by something else with looser permissions is tightened on the next start.
  chmodSync(data, 0o644);
  const again = await start(data);
  assert.equal(statSync(data).mode & 0o777, 0o600);
  assert.equal((await call(again, "POST", WEBHOOK, hook("m"))).status, 200);
  assert.equal(statSync(data).mode & 0o777, 0o600, "and stays so after writes");
  await kill(again);
});

test("a change that cannot be written is not answered 200", async () => {
  const dir = join(work, "vanishing");
  mkdirSync(dir);
  const data = join(dir, "state.json");
  const portal = await start(data);
  rmSync(dir, { recursive: true, force: true });
  const answer = await call(portal, "POST", WEBHOOK, hook("unsaved"));
  assert.equal(answer.status, 500);
  assert.match(answer.json.error.message, /could not be saved to .*state\.json \(its directory .* does not exist/);
  assert.equal((await call(portal, "GET", WEBHOOK)).status, 200, "reads still work");
  await kill(portal);
});
