// Shared helpers for the portal tests: a real receiver (tests/support/receiver.mjs), signed-body checks with
// node:crypto, a small API caller, and the portal's command line run as a child process.
import { createHmac, timingSafeEqual } from "node:crypto";
import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startReceiver } from "../support/receiver.mjs";

export { startReceiver };

/** Runs `body(portal, receiver)` with a fresh portal and receiver, and stops both after. */
export async function withPortal(options, answer, body) {
  const { startPortal } = await import("../../pkg/portal/index.mjs");
  const portal = await startPortal(options);
  const receiver = await startReceiver(answer);
  try {
    await body(portal, receiver);
  } finally {
    await portal.close();
    await receiver.close();
  }
}

/** Whether a delivery's signature header is the HMAC of its raw bytes (node:crypto, not ours). */
export function signedBy(secret, entry) {
  const header = entry.headers["x-docspace-signature-256"] ?? "";
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(entry.raw).digest("hex").toUpperCase());
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `api(portal, token)(method, path, body)` → { status, json, headers }. */
export function api(portal, token) {
  return async (method, path, body) => {
    const headers = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(portal.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers, text };
  };
}

export const tokenOf = (portal, role) => portal.users.find((user) => user.role === role).token;

export { waitFor } from "../support/wait.mjs";

/** The portal's command line, as the package ships it. */
export const CLI = fileURLToPath(new URL("../../pkg/portal/cli.mjs", import.meta.url));

/** Runs the CLI to its end (killed after 30 s: a command that should fail may start instead). */
export const runCli = (args) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { timeout: 30_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

/**
 * Starts the CLI; resolves with its lines so far once the "Press Ctrl+C" line is out. Children
 * are added to `running` (and removed when they exit) so a test file can kill what is left.
 */
export async function startCli(args, running) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const lines = [];
  const reader = createInterface({ input: child.stdout });
  reader.on("line", (line) => lines.push(line));
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  await new Promise((resolve, reject) => {
    reader.on("line", (line) => line.startsWith("Press Ctrl+C") && resolve());
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const token = (role) =>
    lines
      .find((line) => line.trimStart().startsWith(role + " "))
      ?.split(" ")
      .at(-1);
  return { child, lines, url: lines[0], token };
}
