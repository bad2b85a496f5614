// The demo admin page in real Chromium, served by the portal CLI exactly as the start command
// runs it, with real receivers: what a person does with it, end to end.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { launchChromium, watchPage } from "../support/chromium.mjs";

// Screenshots go to a temporary folder; UPDATE_SCREENSHOTS=1 writes the README's ones instead.
const scratch = process.env.UPDATE_SCREENSHOTS ? null : mkdtempSync(join(tmpdir(), "docspace-demo-"));
const screenshots = scratch ? `${scratch}/` : fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
let portal;
let url;
let owner;
let userToken;
let browser;
let receiver;
let receiverUrl;

before(async () => {
  const cli = fileURLToPath(new URL("../../pkg/portal/cli.mjs", import.meta.url));
  portal = spawn(process.execPath, [cli, "--allow-loopback", "--time-scale", "0.01"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = [];
  await new Promise((resolve) => {
    createInterface({ input: portal.stdout }).on("line", (line) => {
      lines.push(line);
      if (line.startsWith("Press Ctrl+C")) resolve();
    });
  });
  url = lines[0];
  const tokenOf = (role) =>
    lines
      .find((line) => line.trimStart().startsWith(`${role} `))
      .split(" ")
      .at(-1);
  owner = tokenOf("owner");
  userToken = tokenOf("user");
  // A receiver that fails for odd payload ids and answers with markup (which must stay text).
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const id = req.method === "POST" ? JSON.parse(body).payload?.id : 0;
      res.writeHead(id % 2 ? 500 : 200, { "content-type": "text/html" }).end("<script>window.__xss = 'response'</script><b>received</b>");
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  await browser?.close();
  receiver?.close();
  portal?.kill("SIGTERM");
});

async function open(path = "/", viewport = { width: 1280, height: 820 }, token = owner) {
  const page = await browser.newPage({ viewport });
  const problems = watchPage(page);
  await page.goto(`${url}${path}#token=${token}`);
  await page.waitForSelector("#webhooks, #empty-webhooks, #history, #empty-history, #empty-filtered, #panel-request");
  return { page, problems };
}

async function createViaApi(name, uri, triggers = 0) {
  const response = await fetch(`${url}/api/2.0/settings/webhook`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
    body: JSON.stringify({ name, uri, secretKey: "S3cret-Key!", enabled: true, ssl: false, triggers }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).response;
}

async function emit(trigger, data) {
  const response = await fetch(`${url}/stand-in/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner}` },
    body: JSON.stringify({ trigger, data }),
  });
  return (await response.json()).response;
}

/** Reloads and waits until the view has rendered its data (not just the document). */
async function reload(page) {
  await page.reload();
  await page.waitForSelector("#webhooks, #empty-webhooks, #history tbody tr, #empty-history, #empty-filtered, #panel-request");
}

const rowOf = (page, name) => page.locator("#webhooks tbody tr", { hasText: name });

async function settle(check, what) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out: ${what}`);
}

test("the first stdout line is the base URL", () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test("create with a generated secret, see it listed; inline messages for bad input", async () => {
  const { page, problems } = await open();
  await page.click("#create");
  await page.fill("#hook-name", "");
  await page.fill("#hook-uri", "ftp://nowhere");
  await page.click("#events-some");
  await page.click(".drawer button[type=submit]");
  assert.equal(await page.textContent("#hook-name-error"), "Enter a name.");
  assert.equal(await page.textContent("#hook-uri-error"), "Enter an http:// or https:// URL.");
  await page.fill("#hook-uri", "http://example.com/x");
  await page.click(".drawer button[type=submit]");
  assert.match(await page.textContent("#hook-uri-error"), /must start with https/, "SSL on needs https");
  const secret = await page.inputValue("#hook-secret");
  assert.match(secret, /^[\x21-\x7e]{24}$/, "a generated secret");
  await page.fill("#hook-name", "Created in the UI");
  await page.fill("#hook-uri", `${url}/stand-in/inbox/ui`);
  await page.uncheck("#hook-ssl");
  await page.click(".dialog button.primary"); // confirm turning SSL off
  for (const box of await page.$$(".event-picker input[type=checkbox]:checked")) await box.uncheck();
  await page.click(".drawer button[type=submit]");
  assert.match(await page.textContent("#events-error"), /Select at least one event/, "an empty selection is not silently 'all'");
  await page.check(".event-picker input[value=FileUploaded]");
  await page.check(".event-picker input[value=RoomCreated]");
  await page.click(".drawer button[type=submit]");
  await rowOf(page, "Created in the UI").waitFor();
  assert.match(await rowOf(page, "Created in the UI").textContent(), /2 events/);
  assert.deepEqual(problems, []);
});

test("field errors of the client and the server land on their fields, by field name", async () => {
  const { page, problems } = await open();
  await page.click("#create");
  await page.fill("#hook-name", "Spaced URL");
  // The browser's URL parser accepts this; the client refuses it with details.uri.
  await page.fill("#hook-uri", "https://example.com/a b");
  await page.click(".drawer button[type=submit]");
  await page.waitForSelector("#hook-uri-error:not(:empty)", { timeout: 5000 });
  assert.match(await page.textContent("#hook-uri-error"), /spaces/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "hook-uri");
  assert.equal(await page.locator(".toast").count(), 0, "no toast besides the field message");
  // The server's validation 400 names its C# properties; the page maps them to its fields.
  const mapped = await page.evaluate(async () => {
    const { DocSpaceError } = await import("/pkg/browser.mjs");
    const { fieldErrors } = await import("/state.mjs");
    const details = {
      Name: ["The Name field is required."],
      "$.triggers": ["Cannot convert."],
      SecretKey: ["Too long."],
      TargetId: ["Too long."],
    };
    return fieldErrors(new DocSpaceError("http", "One or more validation errors occurred.", { status: 400, details }));
  });
  assert.deepEqual(mapped, {
    name: ["The Name field is required."],
    triggers: ["Cannot convert."],
    secretKey: ["Too long."],
    targetId: ["Too long."],
  });
  assert.deepEqual(problems, []);
});

test("events a role may not use are greyed out and explained; search narrows", async () => {
  const { page } = await open("/", undefined, userToken);
  await page.click("#create");
  await page.click("#events-some");
  const userCreated = page.locator(".event", { has: page.locator("input[value=UserCreated]") });
  assert.match(await userCreated.getAttribute("class"), /unavailable/);
  assert.equal(await userCreated.locator("input").isDisabled(), true);
  assert.match(await userCreated.textContent(), /not for your role/);
  assert.equal(
    await page
      .locator(".event", { has: page.locator("input[value=FileUploaded]") })
      .locator("input")
      .isDisabled(),
    false,
  );
  await page.fill("#events-search", "folder dow");
  assert.equal(await page.locator(".event:not([hidden])").count(), 1, "search narrows the list");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".drawer").count(), 0, "Esc closes the drawer");
});

test("rename, toggle (persists after reload), delete", async () => {
  await createViaApi("To be renamed", `${url}/stand-in/inbox/r`, 256);
  const { page, problems } = await open();
  await rowOf(page, "To be renamed").getByRole("button", { name: "Settings" }).click();
  await page.fill("#hook-name", "Renamed");
  await page.click(".drawer button[type=submit]");
  await rowOf(page, "Renamed").waitFor();
  const toggle = rowOf(page, "Renamed").getByRole("switch");
  assert.equal(await toggle.getAttribute("aria-checked"), "true");
  await toggle.click();
  await settle(async () => (await toggle.getAttribute("aria-checked")) === "false" && !(await toggle.isDisabled()), "the toggle");
  await page.reload();
  await rowOf(page, "Renamed").waitFor();
  assert.equal(await rowOf(page, "Renamed").getByRole("switch").getAttribute("aria-checked"), "false", "the state came from the portal");
  await rowOf(page, "Renamed").getByRole("button", { name: "Delete" }).click();
  assert.match(await page.textContent(".dialog"), /Delete “Renamed”\?/);
  await page.click(".dialog button.danger");
  await settle(async () => (await rowOf(page, "Renamed").count()) === 0, "the row to go");
  assert.deepEqual(problems, []);
});

test("send a test event: the history shows the delivery with 2xx", async () => {
  const hook = await createViaApi("Inbox", `${url}/stand-in/inbox/history`, 0);
  const { page, problems } = await open();
  await page.click("#send-event");
  await page.selectOption("#event-trigger", "FileCreated");
  await page.click(".drawer button[type=submit]");
  await page.goto(`${url}/?view=history&webhook=${hook.id}`);
  await settle(async () => (await page.locator("#history tbody tr").count()) === 1 || (await reload(page), false), "the delivery");
  const row = page.locator("#history tbody tr").first();
  assert.equal(await row.locator(".badge").textContent(), "200");
  assert.match(await row.textContent(), /File created/);
  assert.match(await page.textContent("#history-count"), /Showing 1 of 1 delivery/);
  assert.deepEqual(problems, []);
});

test("a failing receiver: red badge, and Retry creates a new row", async () => {
  const hook = await createViaApi("Failing", `${url}/stand-in/inbox/down?status=500`, 0);
  await emit("FileUploaded", { id: 1 });
  const { page } = await open();
  await settle(
    async () => (await reload(page), (await rowOf(page, "Failing").locator(".bad-text").count()) === 1),
    "the failure to be booked",
  );
  assert.equal(await rowOf(page, "Failing").locator(".badge").getAttribute("class"), "badge failed", "a red badge in the list");
  await page.goto(`${url}/?view=history&webhook=${hook.id}`);
  await page.waitForSelector("#history tbody tr");
  assert.equal(await page.locator("#history tbody tr .badge").first().getAttribute("class"), "badge failed");
  await page.locator("#history tbody tr").first().getByRole("button", { name: "Retry" }).click();
  await page.waitForSelector(".toast >> text=Redelivery queued");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 2, "the new row");
});

test("retry, then the toast's View at once: a second later the delivery page is still the one showing", async () => {
  const hook = await createViaApi("Retried then viewed", `${url}/stand-in/inbox/viewed?status=500`, 0);
  await emit("FileUploaded", { id: 7 });
  const { page, problems } = await open(`/?view=history&webhook=${hook.id}`);
  await settle(async () => (await reload(page), (await page.locator("#history tbody tr").count()) === 1), "the delivery");
  await page.locator("#history tbody tr").first().getByRole("button", { name: "Retry" }).click();
  await page.locator(".toast").getByRole("button", { name: "View" }).click();
  const log = new URL(page.url()).searchParams.get("log");
  assert.match(log, /^\d+$/, "View went to a delivery");
  await page.waitForSelector(`#view h1:text-is("Delivery #${log}")`);
  await page.waitForTimeout(1000); // longer than any refresh the retry scheduled for the history
  assert.equal(await page.textContent("#view h1"), `Delivery #${log}`);
  assert.equal(await page.locator("#history").count(), 0, "the history did not draw over the delivery");
  assert.equal(new URL(page.url()).searchParams.get("view"), "delivery");
  assert.deepEqual(problems, []);
});

test("filters narrow the history and survive a reload through the URL", async () => {
  const hook = await createViaApi("Mixed", receiverUrl, 0);
  for (const id of [1, 2, 3, 4]) await emit("FileUploaded", { id });
  const { page } = await open(`/?view=history&webhook=${hook.id}`);
  await settle(async () => (await reload(page), (await page.locator("#history tbody tr").count()) === 4), "four deliveries");
  await page.click("button.chip[data-status=Status5xx]");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 2, "the 5xx filter");
  assert.match(page.url(), /status=Status5xx/);
  await page.reload();
  await page.waitForSelector("#history tbody tr");
  assert.equal(await page.locator("#history tbody tr").count(), 2, "the filter came back from the URL");
  assert.equal(await page.getAttribute("button.chip[data-status=Status5xx]", "aria-pressed"), "true");
  await page.screenshot({ path: `${screenshots}history-desktop.png` });
  await page.click("#clear-filters");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 4, "clearing");
});

test("a custom date range filters through both ends and lands in the URL", async () => {
  const hook = await createViaApi("Ranged", receiverUrl, 0);
  // An even id: the receiver answers 200, so the row has a delivery time for the range to match.
  await emit("FileUploaded", { id: 2 });
  const { page, problems } = await open(`/?view=history&webhook=${hook.id}`);
  const badge = page.locator("#history tbody tr .badge");
  await settle(async () => (await reload(page), (await badge.count()) === 1 && (await badge.textContent()) === "200"), "the 200 delivery");
  await page.selectOption("#filter-range", "custom");
  await page.fill("#filter-from", "2099-01-01T00:00");
  await page.waitForSelector("#empty-filtered");
  assert.match(page.url(), /from=2099-01-01T00%3A00/);
  await page.fill("#filter-from", "2000-01-01T00:00");
  await page.fill("#filter-to", "2099-01-01T00:00");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 1, "the delivery inside the range");
  assert.match(page.url(), /to=2099-01-01T00%3A00/);
  assert.equal(await page.inputValue("#filter-from"), "2000-01-01T00:00", "each input keeps its own end");
  assert.deepEqual(problems, []);
});

test("payloads and receiver bodies with markup are shown as text and never run", async () => {
  const hook = await createViaApi("Markup", receiverUrl, 0);
  await emit("FileUploaded", {
    id: 2,
    title: "<script>window.__xss = 'payload'</script><img src=x onerror=\"window.__xss='img'\">",
  });
  // The event went to every subscribed webhook: take this one's record.
  const log = await (
    await fetch(`${url}/api/2.0/settings/webhooks/log?configId=${hook.id}`, { headers: { authorization: `Bearer ${owner}` } })
  ).json();
  const logId = log.response[0].id;
  const { page, problems } = await open(`/?view=delivery&webhook=${hook.id}&log=${logId}`);
  await settle(async () => (await reload(page), (await page.textContent("#panel-response")).includes("<b>received</b>")), "the response");
  const request = await page.textContent("#panel-request");
  assert.ok(request.includes("\\u003Cscript\\u003E") || request.includes("<script>"), "the payload's markup is there, as text");
  await page.click("#tab-response");
  assert.ok((await page.textContent("#panel-response")).includes("<script>window.__xss = 'response'</script>"));
  assert.equal(await page.evaluate(() => window.__xss), undefined, "nothing executed");
  assert.equal(await page.locator("#view script, #view img").count(), 0, "no element was created from the bodies");
  await page.screenshot({ path: `${screenshots}delivery-desktop.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test("keyboard only: create a webhook without the mouse", async () => {
  const { page } = await open();
  const focused = () => page.evaluate(() => document.activeElement?.id);
  const tabTo = async (id, key = "Tab") => {
    for (let i = 0; i < 40 && (await focused()) !== id; i++) await page.keyboard.press(key);
    assert.equal(await focused(), id, `reached #${id} with ${key}`);
  };
  await tabTo("create");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#hook-name:focus");
  await page.keyboard.type("Keyboard made");
  await page.keyboard.press("Tab");
  await page.keyboard.type(`${url}/stand-in/inbox/keyboard`);
  await tabTo("hook-ssl");
  await page.keyboard.press("Space"); // SSL off asks first: the confirmation opens on Cancel
  await page.waitForSelector(".dialog");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".dialog", { state: "detached" });
  assert.equal(await page.isChecked("#hook-ssl"), false);
  await tabTo("hook-uri", "Shift+Tab");
  await page.keyboard.press("Enter"); // submits the form
  await rowOf(page, "Keyboard made").waitFor();
});

test("narrow screens get cards; screenshots of the main views", async () => {
  const { page } = await open("/", { width: 390, height: 844 });
  await page.waitForSelector("#webhooks");
  const display = await page.$eval("#webhooks tbody tr", (tr) => getComputedStyle(tr).display);
  assert.equal(display, "grid", "rows become cards");
  await page.screenshot({ path: `${screenshots}list-narrow.png`, fullPage: true });
  const desktop = await open();
  await desktop.page.screenshot({ path: `${screenshots}list-desktop.png` });
});

test("a wrong token asks for a valid one", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/#token=sk-wrong`);
  await page.waitForSelector("#connect:not([hidden])");
  assert.match(await page.textContent("#connect-message"), /did not accept this token/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "token");
});
