// How the browser build gets its wasm, in headless Chromium: from a server that labels the file
// as `application/wasm` it compiles while downloading; from one that does not (a plain static
// server, a misconfigured CDN) it compiles the same answer's bytes, without a second request;
// a wasm that cannot be fetched, or an HTML page in its place, fails the import with the URL and
// the reason, not with a compile error about a "magic word".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { send, startStaticServer } from "../support/static-server.mjs";
import { launchChromium, watchPage } from "../support/chromium.mjs";

const pkg = fileURLToPath(new URL("../../pkg/", import.meta.url));
const wasm = readFileSync(`${pkg}web/docspace_webhooks_bg.wasm`);
const WASM_PATH = "/web/docspace_webhooks_bg.wasm";

// What the page does once the module has loaded: a client (options checked in the wasm) and a
// synchronous call into it.
const PAGE = `<!doctype html><meta charset="utf-8"><title>loading</title>
<script type="module">
try {
  const { WebhooksClient, Trigger } = await import("/browser.mjs");
  new WebhooksClient({ baseUrl: "https://portal.example.com", token: "sk-test" });
  window.__result = { ok: true, names: Trigger.names(Trigger.FileUploaded | Trigger.RoomCreated) };
} catch (error) {
  window.__result = { ok: false, name: error?.name, message: String(error?.message ?? error) };
}
</script>`;

let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** Serves pkg/ with the wasm answered by `answerWasm(res)`; counts the wasm's requests. */
async function loadWith(answerWasm) {
  let wasmRequests = 0;
  const server = await startStaticServer({
    root: pkg,
    routes: {
      "/page.html": { type: "text/html; charset=utf-8", body: PAGE },
      [WASM_PATH]: (req, res) => {
        wasmRequests++;
        answerWasm(res);
      },
    },
  });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${server.url}/page.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 15_000 });
    return { result: await page.evaluate(() => window.__result), wasmRequests, problems };
  } finally {
    await context.close();
    await server.close();
  }
}

describe("browser build: loading the wasm", () => {
  test("served as application/wasm: one request, compiled while downloading", async () => {
    const { result, wasmRequests } = await loadWith((res) => send(res, 200, "application/wasm", wasm));
    assert.deepEqual(result, { ok: true, names: ["FileUploaded", "RoomCreated"] });
    assert.equal(wasmRequests, 1);
  });

  test("served with another type: the same answer's bytes are compiled, still one request", async () => {
    for (const type of ["application/octet-stream", "text/plain"]) {
      const { result, wasmRequests } = await loadWith((res) => send(res, 200, type, wasm));
      assert.deepEqual(result, { ok: true, names: ["FileUploaded", "RoomCreated"] }, type);
      assert.equal(wasmRequests, 1, `${type}: the wasm is requested once`);
    }
  });

  test("not found: the import fails naming the wasm's URL and the HTTP status, not with a compile error", async () => {
    const { result, wasmRequests } = await loadWith((res) => send(res, 404, "text/plain", "not found"));
    assert.equal(result.ok, false);
    assert.equal(result.name, "TypeError", result.message);
    assert.match(
      result.message,
      /^docspace-webhooks: could not load http:\/\/127\.0\.0\.1:\d+\/web\/docspace_webhooks_bg\.wasm: HTTP 404$/,
    );
    assert.equal(wasmRequests, 1);
  });

  test("the connection fails: the import names the wasm's URL, with fetch's error as the cause", async () => {
    const { result, wasmRequests } = await loadWith((res) => res.socket.destroy());
    assert.equal(result.ok, false);
    assert.equal(result.name, "TypeError", result.message);
    assert.match(result.message, /^docspace-webhooks: could not load http:\/\/127\.0\.0\.1:\d+\/web\/docspace_webhooks_bg\.wasm: \S/);
    // Chromium itself retries a GET whose connection was reset.
    assert.ok(wasmRequests >= 1, `${wasmRequests} requests`);
  });

  test("an HTML page where the wasm should be (a dev server's fallback): the import says so", async () => {
    const { result, wasmRequests } = await loadWith((res) =>
      send(res, 200, "text/html; charset=utf-8", "<!doctype html><title>app</title>"),
    );
    assert.equal(result.ok, false);
    assert.equal(result.name, "TypeError", result.message);
    assert.match(result.message, /docspace_webhooks_bg\.wasm: it is not a wasm file \(it came as text\/html; charset=utf-8\)$/);
    assert.equal(wasmRequests, 1);
  });
});
