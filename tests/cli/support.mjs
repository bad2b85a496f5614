// Helpers of the command-line tests: the built bin run as a real child process (one-shot or
// long-running), a stand-in portal with the environment that points the bin at it, and a
// receiver whose answers a test controls.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startPortal } from "../../pkg/portal/index.mjs";
import { startReceiver } from "../support/receiver.mjs";
import { waitFor as pollUntil } from "../support/wait.mjs";

export { startReceiver };

export const BIN = fileURLToPath(new URL("../../pkg/cli/main.mjs", import.meta.url));

/** A clean environment: nothing of the developer's DOCSPACE_* or NO_COLOR leaks into a test. */
function environment(env) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: "UTC" };
  return Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, value]) => value !== undefined));
}

/** Runs the bin to its end: `{ code, stdout, stderr }`. */
export function run(args, { env = {}, input } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: environment(env), stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the bin on a pseudo-terminal (util-linux `script`): what a person at a terminal sees. */
export async function onTerminal(args, { env, input = "" }) {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(" ");
  const child = execFile("script", ["-qec", command, "/dev/null"], { env: { PATH: process.env.PATH, TERM: "xterm", ...env } });
  child.stdin.end(input);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.once("close", resolve));
  return { code, output };
}

const running = new Set();
/** Kills whatever a failed test left running (by the child handles this file started). */
export function stopAll() {
  for (const child of running) child.kill("SIGKILL");
}

/**
 * Starts a long-running command (`listen`, `logs --follow`): its stdout lines as they come,
 * its stderr, and `stop()` (SIGINT, like Ctrl+C) resolving to `{ code, lines, stderr }`.
 */
export function start(args, { env = {} } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: environment(env), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  const lines = [];
  let stderr = "";
  const exited = new Promise((resolve) => child.once("close", (code) => (running.delete(child), resolve(code))));
  createInterface({ input: child.stdout }).on("line", (line) => lines.push(line));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return {
    lines,
    stderr: () => stderr,
    /** Waits until `predicate()` holds (the command printed what it should), or fails after `ms`. */
    async until(predicate, what, ms = 20_000) {
      await waitFor(predicate, what, ms, () => `stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`, exited);
    },
    async stop(signal = "SIGINT") {
      child.kill(signal);
      const code = await exited;
      return { code, lines, stderr };
    },
  };
}

/** Polls `predicate` every 20 ms; rejects with `what` after `ms`, or if `dead` settles first. */
export async function waitFor(predicate, what, ms = 20_000, explain = () => "", dead = null) {
  let exited = false;
  dead?.then(() => (exited = true));
  const ready = async () => {
    if (await predicate()) return true;
    if (exited) throw new Error(`the command exited while waiting for ${what}\n${explain()}`);
    return false;
  };
  await pollUntil(ready, { timeoutMs: ms, what, explain });
}

/** A stand-in portal (loopback receivers allowed, retries 100× faster) and the bin's env for a role. */
export async function standIn(options = {}) {
  const portal = await startPortal({ allowLoopback: true, timeScale: 0.01, retryRateLimit: false, serveStatic: false, ...options });
  const token = (role) => portal.users.find((user) => user.role === role).token;
  return { portal, token, env: (role = "owner") => ({ DOCSPACE_URL: portal.url, DOCSPACE_TOKEN: token(role) }) };
}

/** `create … --json` through the bin: the created webhook (plain http allowed, every event by default). */
export async function createHook(stand, { name, uri, events = "All", secret = "S3cret-Key!", extra = [] }) {
  const args = ["create", "--name", name, "--uri", uri, "--events", events, "--secret", secret, "--no-ssl", "--json", ...extra];
  const { code, stdout, stderr } = await run(args, { env: stand.env() });
  if (code !== 0) throw new Error(`create ${name}: ${stderr}`);
  return JSON.parse(stdout).webhook;
}

/** Every record of the portal's log, through its API (newest first). */
export async function allRecords(portal, token) {
  const records = [];
  for (let start = 0; ; start += 100) {
    const response = await fetch(`${portal.url}/api/2.0/settings/webhooks/log?count=100&startIndex=${start}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { response: page } = await response.json();
    records.push(...page);
    if (page.length < 100) return records;
  }
}

/** Waits until no record of the log is still being delivered. */
export async function settled(portal, token, count) {
  await waitFor(
    async () => {
      const records = await allRecords(portal, token);
      return records.length >= count && records.every((record) => record.status !== 0 || record.responsePayload);
    },
    `${count} settled deliveries`,
    60_000,
  );
  return allRecords(portal, token);
}

/** The payload a delivery carried (`payload` of its body). */
export const payloadOf = (entry) => JSON.parse(entry.raw.toString("utf8")).payload;
