// Signature verification in Node: verifyWebhookSignature (node:crypto's HMAC under the package's
// checks) against what a careful user writes with node:crypto (OpenSSL HMAC + timingSafeEqual),
// on 1 KB and 64 KB bodies.
//
//   node bench/verify.mjs [--quick]
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { verifyWebhookSignature, computeWebhookSignature } from "../pkg/index.mjs";
import { interleaveSync, printTable, ratioSpread, runIfMain } from "./lib.mjs";

const SECRET = "bench-secret-0123456789";
const PREFIX = "sha256=";

/** The baseline: must reject what ours rejects (bad prefix, bad length, bad hex, wrong MAC). */
export function nodeVerify(secret, body, header) {
  if (typeof header !== "string" || !header.startsWith(PREFIX) || header.length !== PREFIX.length + 64) return false;
  const expected = Buffer.from(header.slice(PREFIX.length), "hex");
  if (expected.length !== 32) return false; // Buffer.from stops quietly at the first non-hex digit
  return timingSafeEqual(createHmac("sha256", secret).update(body).digest(), expected);
}

const CASES = [
  // Issue 13's target for both sizes, then the goal beyond it.
  { label: "1 KB", size: 1024, inner: 5000, goal: 0.95, beyond: 1.0 },
  { label: "64 KB", size: 64 * 1024, inner: 100, goal: 0.95, beyond: 1.0 },
];

/** Throws unless both implementations accept a valid header and reject tampered input. */
function assertCorrect(body, header) {
  const tampered = Buffer.from(body);
  tampered[tampered.length >> 1] ^= 1;
  const badHeader = header.slice(0, -1) + (header.endsWith("0") ? "1" : "0");
  for (const [name, verify] of [
    ["verifyWebhookSignature", verifyWebhookSignature],
    ["node:crypto", nodeVerify],
  ]) {
    const results = [verify(SECRET, body, header), verify(SECRET, tampered, header), verify(SECRET, body, badHeader)];
    if (results.join() !== "true,false,false") throw new Error(`${name} is wrong: valid/tampered body/tampered header → ${results}`);
  }
}

export async function run({ quick = false } = {}) {
  const rows = [];
  for (const { label, size, inner, goal, beyond } of CASES) {
    const body = randomBytes(size);
    const header = PREFIX + createHmac("sha256", SECRET).update(body).digest("hex").toUpperCase();
    if (computeWebhookSignature(SECRET, body) !== header) throw new Error("computeWebhookSignature disagrees with node:crypto");
    assertCorrect(body, header);

    // `ok` consumes every result, so no call can be optimised away; checked after timing.
    let ok = true;
    const candidates = {
      ours: () => (ok = verifyWebhookSignature(SECRET, body, header) && ok),
      node: () => (ok = nodeVerify(SECRET, body, header) && ok),
    };
    if (size === 1024) candidates.compute = () => (ok = computeWebhookSignature(SECRET, body).length === header.length && ok);
    const result = interleaveSync(candidates, quick ? { rounds: 2, inner: 20, warmup: 1 } : { rounds: 15, inner });
    if (!ok) throw new Error("a timed call returned false");

    const opsPerSec = (name) => 1000 / result[name].median;
    const ratio = opsPerSec("ours") / opsPerSec("node");
    rows.push(
      {
        name: `verifyWebhookSignature ${label}`,
        value: opsPerSec("ours"),
        unit: "ops/s",
        ratio,
        // ops/s ratio: the baseline's time over ours, round by round.
        spread: ratioSpread(result.node.samples, result.ours.samples),
        goal: `≥ ${goal}×, then ≥ ${beyond.toFixed(1)}×`,
        met: ratio >= goal,
      },
      { name: `node:crypto HMAC + timingSafeEqual ${label}`, value: opsPerSec("node"), unit: "ops/s" },
    );
    if (candidates.compute) rows.push({ name: `computeWebhookSignature ${label}`, value: opsPerSec("compute"), unit: "ops/s" });
  }
  printTable("Signature verification, Node (ratio: ours / node:crypto ops/s, higher is better)", rows);
  return rows;
}

runIfMain(import.meta, run);
