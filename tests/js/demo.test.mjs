// The demo page as the start command serves it: scripts/serve-demo.mjs in its own process,
// loaded in headless Chromium through the browser build.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { launchChromium, watchPage } from "../support/chromium.mjs";

let server;
let url;
let browser;

before(async () => {
  server = spawn(process.execPath, [fileURLToPath(new URL("../../scripts/serve-demo.mjs", import.meta.url)), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [firstLine] = await once(createInterface({ input: server.stdout }), "line");
  url = firstLine.trim();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

test("the first stdout line is the base URL", () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test("the demo page lists the portal's webhooks through the browser build", async () => {
  const page = await browser.newPage();
  const problems = watchPage(page);
  await page.goto(`${url}/#token=sk-owner-fixture-token`);
  await page.waitForSelector("#webhooks:not([hidden])");
  const rows = await page.$$eval("#webhooks tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(rows, [
    ["Production Webhook", "https://hooks.example.com/docspace", "2 events", "200", "Enabled"],
    ["Downloads", "https://hooks.example.com/downloads", "2 events", "Not sent", "Disabled"],
  ]);
  assert.equal(page.url(), `${url}/`, "the token is taken out of the address bar");
  assert.deepEqual(problems, []);
});

test("a wrong token shows the portal's answer, not a crash", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/#token=sk-wrong`);
  await page.waitForFunction(() => document.querySelector("#status").textContent.includes("401"));
  assert.match(await page.textContent("#status"), /^Unauthorized.*\(HTTP 401\)$/);
});
