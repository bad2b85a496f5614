// What the demo page's Playwright suites share: the portal CLI started as the start command runs
// it (loopback receivers allowed, retries 100× faster), a receiver of our own, headless Chromium,
// and the few moves every case makes (open a page with a token, create through the API, emit).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { launchChromium, watchPage } from "../support/chromium.mjs";

/** What every view shows once its data is in (not just the document). */
export const VIEW_READY = "#webhooks, #empty-webhooks, #no-access, #load-failed, #history, #empty-history, #empty-filtered, #panel-request";

/**
 * Starts the portal (with more CLI flags from `args`, e.g. `--data file`), a receiver that fails
 * for odd payload ids and answers with markup (which must stay text), and Chromium. Stop
 * everything with `demo.stop()`, which waits for the portal to exit (and write its data file).
 */
export async function startDemo({ args = [] } = {}) {
  const cli = fileURLToPath(new URL("../../pkg/portal/cli.mjs", import.meta.url));
  const portal = spawn(process.execPath, [cli, "--allow-loopback", "--time-scale", "0.01", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = [];
  await new Promise((resolve) => {
    createInterface({ input: portal.stdout }).on("line", (line) => {
      lines.push(line);
      if (line.startsWith("Press Ctrl+C")) resolve();
    });
  });
  const url = lines[0];
  const tokenOf = (role) =>
    lines
      .find((line) => line.trimStart().startsWith(`${role} `))
      .split(" ")
      .at(-1);
  const tokens = Object.fromEntries(["owner", "admin", "roomAdmin", "user", "guest"].map((role) => [role, tokenOf(role)]));
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const id = req.method === "POST" ? JSON.parse(body).payload?.id : 0;
      res
        .writeHead(id % 2 ? 500 : 200, { "content-type": "text/html", "x-receiver": "demo" })
        .end("<script>window.__xss = 'response'</script><b>received</b>");
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const browser = await launchChromium();

  const demo = {
    url,
    tokens,
    owner: tokens.owner,
    browser,
    receiverUrl: `http://127.0.0.1:${receiver.address().port}/hooks`,

    async stop() {
      await browser.close();
      receiver.close();
      const exited = once(portal, "exit");
      portal.kill("SIGTERM");
      await exited;
    },

    /** A fresh page on `path`, signed in with `token`; `problems` collects console errors. */
    async open(path = "/", { viewport = { width: 1280, height: 820 }, token = tokens.owner, colorScheme, ready = VIEW_READY } = {}) {
      const page = await browser.newPage({ viewport, colorScheme });
      const problems = watchPage(page);
      await page.goto(`${url}${path}#token=${token}`);
      if (ready) await page.waitForSelector(ready);
      return { page, problems };
    },

    async api(method, path, body, token = tokens.owner) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.equal(response.status, 200, `${method} ${path}`);
      return (await response.json()).response;
    },

    createViaApi(name, uri, triggers = 0) {
      return demo.api("POST", "/api/2.0/settings/webhook", { name, uri, secretKey: "S3cret-Key!", enabled: true, ssl: false, triggers });
    },

    /** Fans an event out through the stand-in; resolves to the created log ids. */
    emit(trigger, data) {
      return demo.api("POST", "/stand-in/events", { trigger, data });
    },

    /** The log rows of one webhook, newest first. */
    logsOf(webhookId) {
      return demo.api("GET", `/api/2.0/settings/webhooks/log?configId=${webhookId}`);
    },

    /** Waits until every delivery of a webhook is finished (none pending). */
    async settled(webhookId, count) {
      await settle(async () => {
        const rows = await demo.logsOf(webhookId);
        return rows.length === count && rows.every((row) => row.status !== 0 || row.responsePayload);
      }, `${count} finished deliveries of webhook ${webhookId}`);
    },
  };
  return demo;
}

/** Reloads and waits until the view has rendered its data (not just the document). */
export async function reload(page) {
  await page.reload();
  await page.waitForSelector("#webhooks, #empty-webhooks, #history tbody tr, #empty-history, #empty-filtered, #panel-request");
}

export const rowOf = (page, name) => page.locator("#webhooks tbody tr", { hasText: name });

/** Polls `check` (every 50 ms, up to 5 s) until it is true. */
export async function settle(check, what) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out: ${what}`);
}

/** Opens a row's "⋯" menu and picks an item. */
export async function rowAction(page, name, item) {
  await rowOf(page, name)
    .getByRole("button", { name: `Actions for ${name}` })
    .click();
  await page.getByRole("menuitem", { name: item }).click();
}

/** The id of the focused element (or its tag when it has none). */
export const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

/** Opens the create drawer and types the fields given (`name`, `uri`) into it. */
export async function startCreating(page, { name, uri } = {}) {
  await page.click("#create");
  if (name !== undefined) await page.fill("#hook-name", name);
  if (uri !== undefined) await page.fill("#hook-uri", uri);
}
