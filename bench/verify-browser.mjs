// Signature verification in headless Chromium: the synchronous verifyWebhookSignature of the
// browser build against what a browser has built in, an awaited crypto.subtle HMAC sign plus
// a compare. Timing runs inside the page (performance.now), rounds interleaved there too.
//
//   node bench/verify-browser.mjs [--quick]
import { launchChromium } from "../tests/support/chromium.mjs";
import { PKG, median, printTable, ratioSpread, runIfMain } from "./lib.mjs";
import { startStaticServer } from "../tests/support/static-server.mjs";

const CASES = [
  { label: "1 KB", size: 1024, inner: 2000, goal: 1.5, beyond: 2 },
  { label: "64 KB", size: 64 * 1024, inner: 50 },
  // The body as a string (what request.text() gives); the baseline encodes it for subtle.
  { label: "1 KB text", size: 1024, inner: 2000, text: true },
];

// The page half. It returns raw samples; Node takes the medians with lib.mjs's median().
const PAGE = `<!doctype html><meta charset="utf-8"><title>verify bench</title>
<script type="module">
import * as dw from "/browser.mjs";

const SECRET = "bench-secret-0123456789";
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

// What a careful user writes: check the prefix and length, decode the hex, compare every byte.
const encoder = new TextEncoder();
async function subtleVerify(body, header) {
  if (typeof header !== "string" || !header.startsWith("sha256=") || header.length !== 71) return false;
  const expected = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const byte = parseInt(header.substr(7 + 2 * i, 2), 16);
    if (Number.isNaN(byte)) return false;
    expected[i] = byte;
  }
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const actual = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= actual[i] ^ expected[i];
  return diff === 0;
}

// A delivery-like text of that many UTF-8 bytes: JSON with a non-ASCII title.
function textOf(size) {
  const head = '{"event":{"id":1234,"trigger":"file.uploaded","triggerId":256},"payload":{"title":"Отчёт — final","text":"';
  return head + "x".repeat(size - encoder.encode(head).length - 3) + '"}}';
}

window.runBench = async ({ size, inner, rounds, warmup, text }) => {
  const body = text ? textOf(size) : crypto.getRandomValues(new Uint8Array(size));
  const header = dw.computeWebhookSignature(SECRET, body);
  const tampered = text ? body.replace("final", "finaL") : body.slice();
  if (!text) tampered[size >> 1] ^= 1;
  // Two independent HMACs must agree, and each must reject a tampered body.
  const checks = [
    dw.verifyWebhookSignature(SECRET, body, header), !dw.verifyWebhookSignature(SECRET, tampered, header),
    await subtleVerify(body, header), !(await subtleVerify(tampered, header)),
  ];
  if (checks.includes(false)) throw new Error("wrong verification result: " + checks);

  let ok = true; // consumes every result, so nothing is optimised away
  const candidates = {
    ours: async () => { for (let i = 0; i < inner; i++) ok = dw.verifyWebhookSignature(SECRET, body, header) && ok; },
    subtle: async () => { for (let i = 0; i < inner; i++) ok = (await subtleVerify(body, header)) && ok; },
  };
  const samples = { ours: [], subtle: [] };
  for (let round = -warmup; round < rounds; round++) {
    for (const name of round & 1 ? ["subtle", "ours"] : ["ours", "subtle"]) {
      const start = performance.now();
      await candidates[name]();
      if (round >= 0) samples[name].push((performance.now() - start) / inner);
    }
  }
  if (!ok) throw new Error("a timed call returned false");
  return { samples };
};
window.benchReady = true;
</script>`;

export async function run({ quick = false } = {}) {
  const server = await startStaticServer({ root: PKG, routes: { "/bench.html": { type: "text/html; charset=utf-8", body: PAGE } } });
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error));
    await page.goto(`${server.url}/bench.html`);
    await page
      .waitForFunction(() => window.benchReady, null, { timeout: 30_000 })
      .catch((timeout) => {
        throw errors[0] ?? timeout;
      });

    const rows = [];
    for (const { label, size, inner, goal, beyond, text = false } of CASES) {
      const options = quick ? { size, inner: 5, rounds: 2, warmup: 1, text } : { size, inner, rounds: 21, warmup: 2, text };
      const { samples } = await page.evaluate((o) => window.runBench(o), options);
      const ours = 1000 / median(samples.ours);
      const subtle = 1000 / median(samples.subtle);
      const ratio = ours / subtle;
      const target = goal === undefined ? {} : { goal: `≥ ${goal.toFixed(1)}×, then ≥ ${beyond}×`, met: ratio >= goal };
      rows.push(
        {
          name: `verifyWebhookSignature ${label}`,
          value: ours,
          unit: "ops/s",
          ratio,
          spread: ratioSpread(samples.subtle, samples.ours),
          ...target,
        },
        { name: `crypto.subtle sign + compare ${label}`, value: subtle, unit: "ops/s" },
      );
    }
    printTable(`Signature verification, Chromium ${browser.version()} (ratio: ours / crypto.subtle ops/s)`, rows);
    return rows;
  } finally {
    await browser?.close();
    await server.close();
  }
}

runIfMain(import.meta, run);
