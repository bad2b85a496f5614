// The docspace-webhooks-portal command as the README's "The stand-in portal" fixes it: flags, first line, seeded users,
// --config, --data persistence across restarts and kills, refusals that overwrite nothing.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, startCli } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "docspace-portal-cli-"));
const running = new Set();
after(() => {
  for (const child of running) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

const run = runCli;
const start = (args) => startCli(args, running);

const call = async (url, token, method, path, body) => {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
};

test("--help and --version", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: docspace-webhooks-portal/);
  for (const flag of ["--port", "--host", "--config", "--data", "--allow-loopback", "--time-scale"])
    assert.ok(help.stdout.includes(flag), flag);
  const version = await run(["--version"]);
  const crate = readFileSync(fileURLToPath(new URL("../../Cargo.toml", import.meta.url)), "utf8").match(/^version = "([^"]+)"/m)[1];
  assert.deepEqual([version.code, version.stdout.trim()], [0, crate]);
});

test("unknown flags and bad values fail clearly", async () => {
  const unknown = await run(["--prot", "8080"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option '--prot'/);
  assert.equal((await run(["--port", "http"])).code, 2);
  assert.equal((await run(["--time-scale", "-1"])).code, 2);
});

test("the first line is the base URL; seeded users get printed tokens that work", async () => {
  const portal = await start([]);
  assert.match(portal.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  for (const role of ["owner", "admin", "roomAdmin", "user", "guest"]) assert.ok(portal.token(role), `${role} token printed`);
  assert.equal((await call(portal.url, portal.token("owner"), "GET", "/api/2.0/settings/webhook")).status, 200);
  assert.equal((await fetch(`${portal.url}/stand-in/health`)).status, 200);
  assert.equal((await fetch(`${portal.url}/`)).headers.get("content-type"), "text/html; charset=utf-8", "the demo page");
  assert.equal(
    (await fetch(`${portal.url}/pkg/web/docspace_webhooks_bg.wasm`)).headers.get("content-type"),
    "application/wasm",
    "the browser build",
  );
  portal.child.kill("SIGTERM");
  const [code] = await once(portal.child, "exit");
  assert.equal(code, 0);
});

test("a busy port is a clear error", async () => {
  const blocker = createServer().listen(0, "127.0.0.1");
  await once(blocker, "listening");
  const result = await run(["--port", String(blocker.address().port)]);
  blocker.close();
  assert.equal(result.code, 1);
  assert.match(result.stderr, /already in use/);
});

test("--config users replace the seeded ones; a bad config fails", async () => {
  const config = join(work, "config.json");
  writeFileSync(
    config,
    JSON.stringify({
      users: [{ id: "11111111-1111-4111-8111-111111111111", displayName: "Cfg Owner", role: "owner", token: "sk-config-owner" }],
    }),
  );
  const portal = await start(["--config", config]);
  assert.equal((await call(portal.url, "sk-config-owner", "GET", "/api/2.0/settings/webhook")).status, 200);
  portal.child.kill("SIGTERM");
  writeFileSync(config, JSON.stringify({ users: [{ id: "x", displayName: "X", role: "superuser", token: "t" }] }));
  const bad = await run(["--config", config]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /users\[0\]\.role: must be one of/);
});

test("--data persists across a SIGTERM restart", async () => {
  const data = join(work, "state.json");
  const first = await start(["--data", data, "--allow-loopback"]);
  const owner = first.token("owner");
  const created = await call(first.url, owner, "POST", "/api/2.0/settings/webhook", {
    name: "kept",
    uri: `${first.url}/stand-in/inbox/a`,
    secretKey: "S3cret-Key!",
    enabled: true,
    triggers: 0,
  });
  assert.equal(created.status, 200);
  first.child.kill("SIGTERM");
  await once(first.child, "exit");
  const second = await start(["--data", data]);
  assert.equal(second.token("owner"), owner, "the users come back with the data");
  const list = await call(second.url, owner, "GET", "/api/2.0/settings/webhook");
  assert.deepEqual(
    list.json.response.map((item) => item.configs.name),
    ["kept"],
  );
  second.child.kill("SIGTERM");
  await once(second.child, "exit");
});

test("a kill during writes leaves a valid data file", async () => {
  const data = join(work, "killed.json");
  const portal = await start(["--data", data, "--allow-loopback"]);
  const owner = portal.token("owner");
  const writes = Array.from({ length: 200 }, (_, i) =>
    call(portal.url, owner, "POST", "/api/2.0/settings/webhook", {
      name: `w${i}`,
      uri: `${portal.url}/stand-in/inbox/${i}`,
      secretKey: "S3cret-Key!",
      triggers: 0,
    }).catch(() => null),
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  portal.child.kill("SIGKILL");
  await once(portal.child, "exit");
  await Promise.all(writes);
  const state = JSON.parse(readFileSync(data, "utf8"));
  assert.ok(Array.isArray(state.configs), "a whole state, not a torn write");
  const again = await start(["--data", data]);
  const list = await call(again.url, owner, "GET", "/api/2.0/settings/webhook");
  assert.equal(list.json.response.length, state.configs.length);
  again.child.kill("SIGTERM");
  await once(again.child, "exit");
});

test("a corrupt or truncated data file stops the start and is left untouched", async () => {
  for (const content of ['{"users":[', "", "[1,2,3]"]) {
    const data = join(work, "corrupt.json");
    writeFileSync(data, content);
    const result = await run(["--data", data]);
    assert.equal(result.code, 1, `content ${JSON.stringify(content)}`);
    assert.match(result.stderr, /not starting/);
    assert.equal(readFileSync(data, "utf8"), content, "the file is untouched");
    assert.ok(!existsSync(`${data}.tmp`));
  }
});
