// What the Redis tests share: a real redis-server of their own (Debian's, installed by
// `scripts/setup --redis`), both Redis clients, receiver processes, and signed deliveries.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { createClient as createClientV4 } from "node-redis-v4";
import { Redis } from "ioredis";
import { computeWebhookSignature } from "../../pkg/index.mjs";

export const SECRET = "Shared-Secret-1";
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `child` prints a line matching `pattern`; rejects if it exits first. */
async function lineOf(child, pattern, what) {
  const lines = createInterface({ input: child.stdout });
  const seen = [];
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${seen.join("\n")}`));
    child.once("exit", onExit);
    lines.on("line", (line) => {
      seen.push(line);
      const found = line.match(pattern);
      if (!found) return;
      child.off("exit", onExit);
      resolve({ found, lines });
    });
  });
}

/**
 * A redis-server for one test file: bound to 127.0.0.1 on a free port, no persistence, in a
 * temp dir. `kill()` ends it abruptly (SIGKILL, by PID), `restart()` brings up an empty one on
 * the same port, `stop()` ends it for good and removes the dir.
 */
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), "docspace-webhooks-redis-"));
  const port = await freePort();
  let child = null;
  const launch = async () => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
    child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "inherit"] });
    await lineOf(child, /Ready to accept connections/, "redis-server");
  };
  const end = async (signal) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    process.kill(child.pid, signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => end("SIGKILL"),
    restart: launch,
    async stop() {
      await end("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The clients users bring (node-redis, current and v4, and ioredis), connected to `port`, each
 * retrying its connection every 100 ms while Redis is away. Connection errors are expected in
 * the outage tests, so they are kept quiet (a real app logs them).
 */
export const clients = {
  "node-redis": (port) => nodeRedis(createClient, port),
  "node-redis v4": (port) => nodeRedis(createClientV4, port),
  async ioredis(port) {
    const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => 100 });
    client.on("error", () => {});
    await client.connect();
    return { client, close: () => client.disconnect() };
  },
};

async function nodeRedis(create, port) {
  const client = create({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: () => 100 } });
  client.on("error", () => {});
  await client.connect();
  // v5 renamed disconnect() to destroy().
  return { client, close: () => (client.destroy ?? client.disconnect).call(client) };
}

/** A signed delivery of event `id`, as the portal sends it. */
export function delivery(id, { retryCount } = {}) {
  const body = JSON.stringify({
    event: { id, createOn: "2026-06-30T10:13:11Z", trigger: "file.uploaded", triggerId: 256 },
    payload: { id: 42 + id, title: `report-${id}.docx`, fileEntryType: 2 },
    webhook: { id: 7, name: "hooks", url: "https://hooks.example.com/docspace", triggers: ["file.uploaded"], retryCount },
  });
  return { body, signature: computeWebhookSignature(SECRET, body) };
}

/** POSTs a delivery and returns `{ status, body }`. */
export async function post(url, { body, signature }) {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-docspace-signature-256": signature },
  });
  return { status: response.status, body: await response.json() };
}

/** POSTs like the portal retries: again after a non-2xx answer, until a 2xx. Returns every answer. */
export async function postUntilAccepted(url, signed, { pauseMs = 20, attempts = 500 } = {}) {
  const answers = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const answer = await post(url, signed);
    answers.push(answer);
    if (answer.status >= 200 && answer.status < 300) return answers;
    await sleep(pauseMs);
  }
  throw new Error(`still refused after ${attempts} attempts: ${JSON.stringify(answers.slice(-3))}`);
}

/** Runs `task` over `items` with at most `limit` running at once. */
export async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const receiverScript = fileURLToPath(new URL("./receiver-process.mjs", import.meta.url));

/**
 * A receiver in a child process of its own (node:http + createWebhookHandler + redisDedupe),
 * as on a second host. `handled` lists the event ids its onEvent completed; `stop()` ends it.
 */
export async function startReceiver(settings) {
  const child = spawn(process.execPath, [receiverScript, JSON.stringify({ secret: SECRET, ...settings })], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const { found, lines } = await lineOf(child, /^listening (\S+)$/, `receiver (${settings.client})`);
  const handled = [];
  const storeErrors = [];
  lines.on("line", (line) => {
    const [word, value] = line.split(" ");
    if (word === "handled") handled.push(Number(value));
    if (word === "store-error") storeErrors.push(value);
  });
  return {
    url: found[1],
    handled,
    storeErrors,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      process.kill(child.pid, "SIGTERM");
      await exited;
    },
  };
}

/** How often each id occurs. */
export function tally(ids) {
  const counts = new Map();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
