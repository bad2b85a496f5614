// The demo page as the start command serves it: the portal CLI in its own process, the page
// loaded in headless Chromium through the browser build.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { launchChromium, watchPage } from "../support/chromium.mjs";

let server;
let url;
let owner;
let browser;

before(async () => {
  const cli = fileURLToPath(new URL("../../pkg/portal/cli.mjs", import.meta.url));
  server = spawn(process.execPath, [cli, "--allow-loopback"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = [];
  await new Promise((resolve) => {
    createInterface({ input: server.stdout }).on("line", (line) => {
      lines.push(line);
      if (line.startsWith("Press Ctrl+C")) resolve();
    });
  });
  url = lines[0];
  owner = lines
    .find((line) => line.trimStart().startsWith("owner "))
    .split(" ")
    .at(-1);
  const created = await fetch(`${url}/api/2.0/settings/webhook`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Inbox",
      uri: `${url}/stand-in/inbox/demo`,
      secretKey: "S3cret-Key!",
      enabled: true,
      ssl: false,
      triggers: 384,
    }),
  });
  assert.equal(created.status, 200);
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
  await page.goto(`${url}/#token=${owner}`);
  await page.waitForSelector("#webhooks:not([hidden])");
  const rows = await page.$$eval("#webhooks tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(rows, [["Inbox", `${url}/stand-in/inbox/demo`, "2 events", "Not sent", "Enabled"]]);
  assert.equal(page.url(), `${url}/`, "the token is taken out of the address bar");
  assert.deepEqual(problems, []);
});

test("a wrong token shows the portal's answer, not a crash", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/#token=sk-wrong`);
  await page.waitForFunction(() => document.querySelector("#status").textContent.includes("401"));
  assert.match(await page.textContent("#status"), /^Unauthorized.*\(HTTP 401\)$/);
});
