// The demo admin page in real Chromium, served by the portal CLI exactly as the start command
// runs it, with real receivers: what a person does with it, end to end.
// (tests/js/demo-issues.test.mjs holds one case per problem of issue 15.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Trigger } from "../../pkg/index.mjs";
import { focused, reload, rowAction, rowOf, settle, startCreating, startDemo } from "./demo-support.mjs";

// Screenshots go to a temporary folder; UPDATE_SCREENSHOTS=1 writes the README's ones instead.
const scratch = process.env.UPDATE_SCREENSHOTS ? null : mkdtempSync(join(tmpdir(), "docspace-demo-"));
const screenshots = scratch ? `${scratch}/` : fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
let demo;

before(async () => {
  demo = await startDemo();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  await demo?.stop();
});

test("the first stdout line is the base URL", () => {
  assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test("create with a generated secret, see it listed; inline messages for bad input", async () => {
  const { page, problems } = await demo.open();
  await startCreating(page, { name: "", uri: "ftp://nowhere" });
  await page.click("#events-some");
  await page.click(".drawer button[type=submit]");
  assert.equal(await page.textContent("#hook-name-error"), "Enter a name.");
  assert.equal(await page.textContent("#hook-uri-error"), "Enter an http:// or https:// URL.");
  await page.fill("#hook-uri", "http://example.com/x");
  assert.equal(await page.isChecked("#hook-ssl"), false, "an http:// URL turns SSL verification off");
  await page.check("#hook-ssl"); // on again by hand
  await page.click(".drawer button[type=submit]");
  assert.match(await page.textContent("#hook-uri-error"), /must start with https/, "SSL on needs https");
  const secret = await page.inputValue("#hook-secret");
  assert.match(secret, /^[\x21-\x7e]{24}$/, "a generated secret");
  await page.fill("#hook-name", "Created in the UI");
  await page.fill("#hook-uri", `${demo.url}/stand-in/inbox/ui`);
  await page.uncheck("#hook-ssl");
  await page.click(".dialog button.danger, .dialog button.primary"); // confirm turning SSL off
  await page.click("#events-picked button[aria-label='Remove File uploaded']");
  await page.click(".drawer button[type=submit]");
  assert.match(await page.textContent("#events-error"), /Select at least one event/, "an empty selection is not silently 'all'");
  for (const [search, value] of [
    ["file uploaded", "FileUploaded"],
    ["room created", "RoomCreated"],
  ]) {
    await page.fill("#events-search", search);
    await page.check(`.event-picker input[value=${value}]`);
  }
  await page.click(".drawer button[type=submit]");
  await rowOf(page, "Created in the UI").waitFor();
  assert.match(await rowOf(page, "Created in the UI").textContent(), /2 events/);
  // The secret was generated and never looked at: it is shown now, once.
  assert.equal(await page.inputValue("#new-secret"), secret);
  await page.getByRole("button", { name: "Done" }).click();
  assert.equal(await page.locator(".dialog").count(), 0);
  assert.deepEqual(problems, []);
});

test("field errors of the client and the server land on their fields, by field name", async () => {
  const { page, problems } = await demo.open();
  // The browser's URL parser accepts this; the client refuses it with details.uri.
  await startCreating(page, { name: "Spaced URL", uri: "https://example.com/a b" });
  await page.click(".drawer button[type=submit]");
  await page.waitForSelector("#hook-uri-error:not(:empty)", { timeout: 5000 });
  assert.match(await page.textContent("#hook-uri-error"), /spaces/);
  assert.match(await page.textContent("#form-errors"), /spaces/, "listed in the error summary, which has focus");
  assert.equal(await focused(page), "form-errors");
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
  const { page } = await demo.open("/", { token: demo.tokens.user });
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
  assert.equal(await page.locator(".event:not([hidden])").isVisible(), true, "and opens the group it found");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".drawer").count(), 0, "Esc closes the drawer");
});

test("rename, toggle (persists after reload), delete", async () => {
  await demo.createViaApi("To be renamed", `${demo.url}/stand-in/inbox/r`, 256);
  const { page, problems } = await demo.open();
  await rowAction(page, "To be renamed", "Settings");
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
  await rowAction(page, "Renamed", "Delete");
  assert.match(await page.textContent(".dialog"), /Delete “Renamed”\?/);
  await page.click(".dialog button.danger");
  await settle(async () => (await rowOf(page, "Renamed").count()) === 0, "the row to go");
  assert.deepEqual(problems, []);
});

test("send a test event: the history shows the delivery with 2xx", async () => {
  const hook = await demo.createViaApi("Inbox", `${demo.url}/stand-in/inbox/history`, 0);
  const { page, problems } = await demo.open();
  await page.click("#send-event");
  await page.selectOption("#event-trigger", "FileCreated");
  await page.click(".drawer button[type=submit]");
  await page.goto(`${demo.url}/?view=history&webhook=${hook.id}`);
  await settle(
    async () => (await page.locator("#history tbody tr .badge.ok").count()) === 1 || (await reload(page), false),
    "the delivery",
  );
  const row = page.locator("#history tbody tr").first();
  assert.equal(await row.locator(".badge").textContent(), "200");
  assert.match(await row.textContent(), /File created/);
  assert.match(await page.textContent("#history-count"), /Showing 1 of 1 delivery/);
  assert.deepEqual(problems, []);
});

test("a failing receiver: red badge, and Retry creates a new row", async () => {
  const hook = await demo.createViaApi("Failing", `${demo.url}/stand-in/inbox/down?status=500`, 0);
  await demo.emit("FileUploaded", { id: 1 });
  const { page } = await demo.open();
  await settle(
    async () => (await reload(page), (await rowOf(page, "Failing").locator(".bad-text").count()) === 1),
    "the failure to be booked",
  );
  assert.equal(await rowOf(page, "Failing").locator(".badge").getAttribute("class"), "badge failed", "a red badge in the list");
  await page.goto(`${demo.url}/?view=history&webhook=${hook.id}`);
  await page.waitForSelector("#history tbody tr");
  assert.equal(await page.locator("#history tbody tr .badge").first().getAttribute("class"), "badge failed");
  await page.locator("#history tbody tr").first().getByRole("button", { name: "Retry" }).click();
  await page.waitForSelector(".toast >> text=Redelivery");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 2, "the new row");
});

test("retry, then the toast's View at once: a second later the delivery page is still the one showing", async () => {
  const hook = await demo.createViaApi("Retried then viewed", `${demo.url}/stand-in/inbox/viewed?status=500`, 0);
  await demo.emit("FileUploaded", { id: 7 });
  await demo.settled(hook.id, 1);
  const { page, problems } = await demo.open(`/?view=history&webhook=${hook.id}`);
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
  const hook = await demo.createViaApi("Mixed", demo.receiverUrl, 0);
  for (const id of [1, 2, 3, 4]) await demo.emit("FileUploaded", { id });
  await demo.settled(hook.id, 4);
  const { page } = await demo.open(`/?view=history&webhook=${hook.id}`);
  assert.equal(await page.locator("#history tbody tr").count(), 4);
  await page.click("button.chip[data-status=Status5xx]");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 2, "the 5xx filter");
  assert.match(page.url(), /status=Status5xx/);
  await page.reload();
  await page.waitForSelector("#history tbody tr");
  assert.equal(await page.locator("#history tbody tr").count(), 2, "the filter came back from the URL");
  assert.equal(await page.getAttribute("button.chip[data-status=Status5xx]", "aria-pressed"), "true");
  await page.click("#clear-filters");
  await settle(async () => (await page.locator("#history tbody tr").count()) === 4, "clearing");
});

test("a custom date range filters through both ends and lands in the URL", async () => {
  const hook = await demo.createViaApi("Ranged", demo.receiverUrl, 0);
  await demo.emit("FileUploaded", { id: 2 });
  await demo.settled(hook.id, 1);
  const { page, problems } = await demo.open(`/?view=history&webhook=${hook.id}`);
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
  const hook = await demo.createViaApi("Markup", demo.receiverUrl, 0);
  await demo.emit("FileUploaded", {
    id: 2,
    title: "<script>window.__xss = 'payload'</script><img src=x onerror=\"window.__xss='img'\">",
  });
  await demo.settled(hook.id, 1);
  // The event went to every subscribed webhook: take this one's record.
  const [{ id: logId }] = await demo.logsOf(hook.id);
  const { page, problems } = await demo.open(`/?view=delivery&webhook=${hook.id}&log=${logId}`);
  await settle(
    async () => (await page.textContent("#panel-response")).includes("<b>received</b>") || (await reload(page), false),
    "the response",
  );
  const request = await page.textContent("#panel-request");
  assert.ok(request.includes("\\u003Cscript\\u003E") || request.includes("<script>"), "the payload's markup is there, as text");
  await page.click("#tab-response");
  assert.ok((await page.textContent("#panel-response")).includes("<script>window.__xss = 'response'</script>"));
  assert.equal(await page.evaluate(() => window.__xss), undefined, "nothing executed");
  assert.equal(await page.locator("#view script, #view img").count(), 0, "no element was created from the bodies");
  assert.deepEqual(problems, []);
});

test("keyboard only, end to end: create, open the history through the row menu, filter, open a delivery, switch tabs", async () => {
  const { page, problems } = await demo.open();
  const tabTo = async (id, key = "Tab") => {
    for (let i = 0; i < 60 && (await focused(page)) !== id; i++) await page.keyboard.press(key);
    assert.equal(await focused(page), id, `reached #${id} with ${key}`);
  };
  await tabTo("create");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#hook-name:focus");
  await page.keyboard.type("Keyboard made");
  await page.keyboard.press("Tab");
  await page.keyboard.type(`${demo.url}/stand-in/inbox/keyboard`);
  assert.equal(await page.isChecked("#hook-ssl"), false, "the http:// receiver turned SSL off");
  await page.keyboard.press("Enter"); // submits the form
  await page.waitForSelector("#new-secret");
  await page.keyboard.press("Enter"); // "Done" has focus
  await rowOf(page, "Keyboard made").waitFor();
  const hook = (await demo.api("GET", "/api/2.0/settings/webhook")).find(({ configs }) => configs.name === "Keyboard made").configs;
  await demo.emit("FileUploaded", { id: 2 });
  await demo.settled(hook.id, 1);

  await tabTo(`actions-${hook.id}`);
  await page.keyboard.press("Enter");
  assert.match(await page.evaluate(() => document.activeElement.textContent), /Settings/, "the menu opens on its first item");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter"); // "Delivery history"
  await page.waitForSelector("#history tbody tr");
  await tabTo("status-Status2xx");
  await page.keyboard.press("Space");
  await settle(async () => page.url().includes("status=Status2xx"), "the status filter");
  await page.waitForSelector("#history tbody tr");
  assert.equal(await focused(page), "status-Status2xx", "focus stays on the filter after it applies");
  const log = await page.getAttribute("#history tbody tr a", "id");
  await tabTo(log);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#panel-request");
  await tabTo("tab-request");
  await page.keyboard.press("ArrowRight");
  assert.equal(await focused(page), "tab-response");
  assert.equal(await page.isVisible("#panel-response"), true, "the arrow key switched tabs");
  assert.deepEqual(problems, []);
});

/**
 * A day of traffic for the README's pictures: real deliveries, made now, then moved back over
 * the last 23 hours in the portal's data file (its `logs[].creationTime`/`delivery`, in ms), so
 * the health strips and the chart have hours to show. Failures cluster where the receiver
 * refused odd ids: an "incident" in the afternoon.
 */
function spreadOverADay(dataFile) {
  const state = JSON.parse(readFileSync(dataFile, "utf8"));
  assert.ok(Array.isArray(state.logs) && state.logs.every((row) => typeof row.creationTime === "number"), "the data file's log rows");
  const rows = [...state.logs].sort((a, b) => a.id - b.id);
  const now = Date.now();
  rows.forEach((row, index) => {
    const created = Math.min(now - 23 * 3600e3 + (index / rows.length) * 23 * 3600e3 + ((index * 7919) % 1800e3), now - 60e3);
    const shift = (time) => time + (created - row.creationTime);
    if (typeof row.delivery === "number") row.delivery = shift(row.delivery);
    // The times the payload carries (event time, the last attempt's) move with the row.
    const payload = JSON.parse(row.requestPayload);
    for (const [object, key] of [
      [payload.event, "createOn"],
      [payload.webhook, "retryOn"],
      [payload.webhook, "lastFailureOn"],
    ])
      if (object?.[key]) object[key] = new Date(shift(Date.parse(object[key]))).toISOString().replace(/\.\d+Z$/, "Z");
    row.requestPayload = JSON.stringify(payload);
    row.creationTime = created;
  });
  writeFileSync(dataFile, JSON.stringify(state));
}

test("screenshots of the main views (desktop, phone; light, dark) for the README", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "docspace-demo-data-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const dataFile = join(dataDir, "portal.json");
  const seeding = await startDemo({ args: ["--data", dataFile] });
  const api = (name, uri, triggers) => seeding.createViaApi(name, uri, triggers);
  const orders = await api("Orders service", `${seeding.receiverUrl}/docspace/events?tenant=acme`, 0);
  await api("Room audit log", `${seeding.url}/stand-in/inbox/audit`, Trigger.RoomCreated | Trigger.RoomArchived | Trigger.RoomDeleted);
  await api("Backup sync", `${seeding.url}/stand-in/inbox/down?status=503`, Trigger.FileUploaded);
  const events = 60;
  for (let n = 0; n < events; n++) {
    const incident = n > 34 && n < 42; // the receiver refuses odd ids
    const trigger = ["FileUploaded", "FileCreated", "RoomCreated", "FileUploaded"][n % 4];
    await seeding.emit(trigger, { id: incident || n % 17 === 5 ? 2 * n + 1 : 2 * n + 2, title: `report-${n}.docx` });
  }
  await seeding.settled(orders.id, events);
  await seeding.stop();
  spreadOverADay(dataFile);

  const shown = await startDemo({ args: ["--data", dataFile] });
  try {
    const history = `/?view=history&webhook=${orders.id}&range=24h`;
    for (const colorScheme of ["light", "dark"]) {
      const desktop = await shown.open("/", { colorScheme });
      await desktop.page.waitForSelector(".health svg");
      await desktop.page.screenshot({ path: `${screenshots}list-desktop-${colorScheme}.png` });
      await desktop.page.goto(`${shown.url}${history}`);
      await desktop.page.waitForSelector("#delivery-chart svg");
      await desktop.page.screenshot({ path: `${screenshots}history-desktop-${colorScheme}.png` });
      const phone = await shown.open("/", { viewport: { width: 390, height: 844 }, colorScheme });
      await phone.page.waitForSelector(".health svg");
      assert.equal(await phone.page.$eval("#webhooks tbody tr", (tr) => getComputedStyle(tr).display), "grid", "rows become cards");
      await phone.page.screenshot({ path: `${screenshots}list-narrow-${colorScheme}.png` });
      await phone.page.goto(`${shown.url}${history}`);
      await phone.page.waitForSelector("#delivery-chart svg");
      await phone.page.screenshot({ path: `${screenshots}history-narrow-${colorScheme}.png` });
    }
    const failed = (await shown.logsOf(orders.id)).find((row) => row.status >= 500);
    const { page } = await shown.open(`/?view=delivery&webhook=${orders.id}&log=${failed.id}`);
    await page.click("#tab-response");
    await page.screenshot({ path: `${screenshots}delivery-desktop-light.png` });
    const create = await shown.open("/", { viewport: { width: 1280, height: 800 } });
    await create.page.click("#create");
    await create.page.screenshot({ path: `${screenshots}create-desktop-light.png` });
  } finally {
    await shown.stop();
  }
});

test("test events go with the user's token; a role the portal refuses (403) is told so once and the button goes; users never see it", async () => {
  // Room admins may use every event, so the page offers test events; the stand-in keeps them to owners and admins.
  const { page, problems } = await demo.open("/", { token: demo.tokens.roomAdmin });
  const sent = [];
  page.on("request", (request) => request.url().endsWith("/stand-in/events") && sent.push(request.headers().authorization));
  await page.click("#send-event");
  await page.click(".drawer button[type=submit]");
  await page.waitForSelector("#event-error:not(:empty)");
  assert.match(await page.textContent("#event-error"), /Only the portal's owner and admins can send test events/);
  assert.deepEqual(sent, [`Bearer ${demo.tokens.roomAdmin}`]);
  assert.equal(await page.isVisible("#send-event"), false, "no longer offered");
  assert.deepEqual(
    problems.filter((line) => !/Failed to load resource/.test(line)),
    [],
  );
  const user = await demo.open("/", { token: demo.tokens.user });
  assert.equal(await user.page.isVisible("#create"), true);
  assert.equal(await user.page.isVisible("#send-event"), false, "a user's role cannot send test events");
});

test("a wrong token asks for a valid one", async () => {
  const { page } = await demo.open("/", { token: "sk-wrong", ready: "#connect:not([hidden])" });
  assert.match(await page.textContent("#connect-message"), /did not accept this token/);
  assert.equal(await focused(page), "token");
});
