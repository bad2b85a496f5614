// The stand-in portal under load: (1) signed deliveries per second from the portal (in this
// process) to a counting receiver (a second process), and (2) requests per second of the list
// route against a bare node:http server (a second process) answering the same JSON, with
// autocannon as the load generator in a third process: once for the same URL again and again
// (the portal may answer from the list it kept, as a page polling it gets), once with a new
// query on every request (the portal builds every answer, as after each change).
//   node bench/portal.mjs [--quick]
import { spawn } from "node:child_process";
import http from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PKG, ROOT, median, printTable, runIfMain, startChild } from "./lib.mjs";
import { waitFor } from "../tests/support/wait.mjs";

const { startPortal } = await import(join(PKG, "portal", "index.mjs"));

const RECEIVER = join(ROOT, "bench", "support", "receiver.mjs");
const BARE = join(ROOT, "bench", "support", "bare-server.mjs");
const CANNON = join(ROOT, "bench", "support", "cannon.mjs");
const WEBHOOK = "/api/2.0/settings/webhook";
const LOG = "/api/2.0/settings/webhooks/log";
const TRIGGER = "file.created";
const TRIGGER_BIT = 1 << 7; // FileCreated, as src/triggers.rs numbers it
const DELIVERY_GOAL = 2000;
const LIST_GOAL = 0.5;

const epochNow = () => performance.timeOrigin + performance.now();
const ownerToken = (portal) => portal.users.find((user) => user.role === "owner").token;

/**
 * One HTTP exchange on a fresh connection (no pooling): while the portal books deliveries this
 * process may not run for seconds, and a pooled idle socket could be closed under it.
 */
function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, text }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Calls the portal's API as its owner; throws unless 2xx. */
async function call(portal, method, path, body) {
  const headers = { accept: "application/json", authorization: `Bearer ${ownerToken(portal)}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const { status, text } = await request(portal.url + path, { method, headers, body: body && JSON.stringify(body) });
  if (status < 200 || status > 299) throw new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`);
  return { text, json: JSON.parse(text) };
}

/** Creates `count` enabled webhooks on `receiverUrl` for the trigger; returns their ids. */
async function createWebhooks(portal, receiverUrl, count, prefix) {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const { json } = await call(portal, "POST", WEBHOOK, {
      name: `${prefix}-${i}`,
      uri: `${receiverUrl}/in/${prefix}-${i}`,
      secretKey: `bench-secret-${i}`,
      enabled: true,
      ssl: false,
      triggers: TRIGGER_BIT,
    });
    ids.push(json.response.id);
  }
  return ids;
}

/** The receiver's `{ posts, firstAt, lastAt }`. */
async function receiverCount(receiverUrl) {
  return JSON.parse((await request(`${receiverUrl}/count`)).text);
}

/** Polls until `check()` is truthy (every 5 ms: the figures come from the receiver's and the
 * rows' own timestamps, so the interval only bounds how soon the bench moves on). */
const waitUntil = (check, options) => waitFor(check, { every: 5, ...options });

/** Part 1: K webhooks × E emits, timed from the first emit to the receiver's last count. */
async function deliveries({ quick }) {
  const hooks = quick ? 4 : 10;
  const emits = quick ? 5 : 500;
  const expected = hooks * emits;
  const receiver = await startChild(RECEIVER);
  let portal;
  try {
    portal = await startPortal({ allowLoopback: true, retryRateLimit: false, serveStatic: false, log: () => {} });
    const configIds = await createWebhooks(portal, receiver.url, hooks, "deliver");
    const before = (await receiverCount(receiver.url)).posts;
    if (before !== 0) throw new Error(`the receiver counted ${before} POSTs before the first emit`);

    // emit() resolves once the deliveries are scheduled (their log ids exist), not once they
    // are sent, so the clock stops at the receiver's last arrival, as the receiver records it.
    const start = epochNow();
    const logIds = [];
    for (let i = 0; i < emits; i++) logIds.push(...(await portal.emit(TRIGGER, { id: i, title: `bench file ${i}.docx` })));
    const emitted = epochNow();
    if (logIds.length !== expected) throw new Error(`emit() created ${logIds.length} log rows, expected ${expected}`);
    const counted = await waitUntil(
      async () => {
        const count = await receiverCount(receiver.url);
        return count.posts >= expected && count;
      },
      { timeoutMs: quick ? 60_000 : 900_000, what: `${expected} deliveries at the receiver` },
    );
    if (counted.posts !== expected) throw new Error(`the receiver counted ${counted.posts} POSTs, expected ${expected}`);
    const arrived = counted.lastAt;

    // The portal books a row once it has the receiver's answer, so rows may trail the count.
    // Polled through the log endpoint's filter (cheap, unlike snapshot()); the time comes from
    // the rows themselves (`delivery`, stamped when booked), not from when this loop noticed.
    const logTotal = async (query) => (await call(portal, "GET", `${LOG}?count=1${query}`)).json.total;
    await waitUntil(async () => (await logTotal("&groupStatus=NotSent")) === 0, {
      timeoutMs: quick ? 60_000 : 900_000,
      what: "every log row booked",
    });
    const rows = portal.snapshot().logs;
    if (rows.length !== expected || (await logTotal("&groupStatus=Status2xx")) !== expected)
      throw new Error(`the log holds ${rows.length} rows, expected ${expected} delivered 2xx`);
    const not200 = rows.filter((row) => row.status !== 200 || !row.delivery);
    if (not200.length) throw new Error(`${not200.length} log rows are not delivered 200s, e.g. ${JSON.stringify(not200[0]).slice(0, 300)}`);
    const booked = Math.max(...rows.map((row) => row.delivery));
    // And a sample through the log endpoint, as a client sees it.
    for (const configId of [configIds[0], configIds.at(-1)]) {
      const { json } = await call(portal, "GET", `${LOG}?configId=${configId}&count=10`);
      if (json.total !== emits) throw new Error(`log of webhook ${configId}: total ${json.total}, expected ${emits}`);
      if (!json.response.every((row) => row.status === 200 && row.delivery))
        throw new Error(`log of webhook ${configId}: a sampled row is not a delivered 200`);
    }

    const rate = expected / ((arrived - start) / 1000);
    const bookedRate = expected / ((booked - start) / 1000);
    const goal = `≥ ${DELIVERY_GOAL.toLocaleString("en-US")}/s`;
    const table = [
      {
        name: `deliveries/s (${emits} emits × ${hooks} webhooks = ${expected}), to the receiver's count`,
        value: rate,
        unit: "/s",
        goal,
        met: rate >= DELIVERY_GOAL,
      },
      {
        name: "deliveries/s, to the last row booked 200 in the portal's log",
        value: bookedRate,
        unit: "/s",
        goal,
        met: bookedRate >= DELIVERY_GOAL,
      },
      { name: "wall time, first emit → last POST at the receiver", value: arrived - start, unit: "ms" },
      { name: "wall time, first emit → last row booked", value: booked - start, unit: "ms" },
      { name: `the ${emits} emit() calls (they return once scheduled)`, value: emitted - start, unit: "ms" },
    ];
    printTable("Portal: signed deliveries to a receiver in another process", table);
    return table;
  } finally {
    await portal?.close();
    await receiver.stop();
  }
}

/** Runs autocannon in its own process against `url`; resolves to its result. */
function autocannon(url, { seconds, connections, token, vary }) {
  return new Promise((resolve, reject) => {
    const args = [CANNON, url, String(seconds), String(connections), token];
    if (vary) args.push("--vary");
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (err += chunk));
    const killOnExit = () => child.kill();
    process.once("exit", killOnExit);
    child.once("error", reject);
    child.once("exit", (code) => {
      process.off("exit", killOnExit);
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err.slice(-500)}`));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new Error(`autocannon printed no JSON (${error.message}): ${out.slice(0, 300)} ${err.slice(-300)}`));
      }
    });
  });
}

/** Part 2: GET the webhook list, the portal against a bare server with the same body. */
async function listRoute({ quick }) {
  const hooks = 20;
  const seconds = quick ? 1 : 5;
  const rounds = quick ? 1 : 2;
  const connections = 10;
  const dir = await mkdtemp(join(tmpdir(), "bench-portal-"));
  let receiver;
  let portal;
  let bare;
  try {
    receiver = await startChild(RECEIVER);
    portal = await startPortal({ allowLoopback: true, retryRateLimit: false, serveStatic: false, log: () => {} });
    await createWebhooks(portal, receiver.url, hooks, "list");
    // One delivery each, so every item carries a last status, as a used portal's would.
    await portal.emit(TRIGGER, { id: 1 });
    await waitUntil(() => portal.snapshot().logs.every((row) => row.status === 200), {
      timeoutMs: 30_000,
      what: "the seeding deliveries",
    });
    const { text, json } = await call(portal, "GET", WEBHOOK);
    if (json.response.length !== hooks) throw new Error(`the list has ${json.response.length} items, expected ${hooks}`);
    const bodyFile = join(dir, "list.json");
    await writeFile(bodyFile, text);
    bare = await startChild(BARE, [bodyFile]);
    const bareText = (await request(bare.url + WEBHOOK)).text;
    if (bareText !== text) throw new Error("the bare server's body differs from the portal's");

    const token = ownerToken(portal);
    const targets = {
      portal: { url: portal.url + WEBHOOK },
      bare: { url: bare.url + WEBHOOK },
      "portal, new query each": { url: portal.url + WEBHOOK, vary: true },
      "bare, new query each": { url: bare.url + WEBHOOK, vary: true },
    };
    // The varied answers differ from the bare server's only in `links[0].href` (the query).
    const varied = (await call(portal, "GET", `${WEBHOOK}?n=0`)).text;
    if (Math.abs(Buffer.byteLength(varied) - Buffer.byteLength(text)) > 8) throw new Error("the varied answer's size differs");
    const load = async (name, duration) => {
      const result = await autocannon(targets[name].url, { seconds: duration, connections, token, vary: targets[name].vary });
      if (result.non2xx !== 0 || result.errors !== 0 || result.timeouts !== 0)
        throw new Error(`${name}: non2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`);
      if (!(result.requests.total > 0) || result["2xx"] !== result.requests.total)
        throw new Error(`${name}: ${result["2xx"]} 2xx answers of ${result.requests.total} requests`);
      return result.requests.average;
    };
    // The portal's only request limiter guards the two retry routes (crates/portal/src/http.rs
    // rate_limit, off here with retryRateLimit: false); the list route has none, so every
    // non-2xx below would be a real failure.
    const names = Object.keys(targets);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    if (!quick) for (const name of names) await load(name, 1); // warm-up, not counted
    for (let round = 0; round < rounds; round++) {
      const order = round & 1 ? [...names].reverse() : names;
      for (const name of order) samples[name].push(await load(name, seconds));
    }
    const rate = (name) => median(samples[name]);
    const ratio = rate("portal") / rate("bare");
    const rebuiltRatio = rate("portal, new query each") / rate("bare, new query each");
    const rows = [
      {
        name: `portal GET ${WEBHOOK} (${hooks} webhooks, ${Buffer.byteLength(text).toLocaleString("en-US")} B)`,
        value: rate("portal"),
        unit: "req/s",
        ratio,
        goal: `≥ ${LIST_GOAL}×`,
        met: ratio >= LIST_GOAL,
      },
      { name: "bare node:http, the same body", value: rate("bare"), unit: "req/s" },
      {
        name: "portal, a new query on every request (each answer built)",
        value: rate("portal, new query each"),
        unit: "req/s",
        ratio: rebuiltRatio,
      },
      { name: "bare node:http, the same requests", value: rate("bare, new query each"), unit: "req/s" },
    ];
    printTable(`Portal: list route vs bare node:http (autocannon -c ${connections}, ${seconds} s × ${rounds} each, median)`, rows);
    return rows;
  } finally {
    await portal?.close();
    await bare?.stop();
    await receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run({ quick = false } = {}) {
  const rows = [];
  rows.push(...(await deliveries({ quick })));
  rows.push(...(await listRoute({ quick })));
  return rows;
}

runIfMain(import.meta, run);
