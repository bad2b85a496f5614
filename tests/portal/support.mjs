// Shared helpers for the portal tests: a real receiver (tests/support/receiver.mjs), signed-body checks with
// node:crypto, and a small API caller.
import { createHmac, timingSafeEqual } from "node:crypto";
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

export async function waitFor(check, { timeoutMs = 10_000, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
