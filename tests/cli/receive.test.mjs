// `listen` (verify, print, forward the raw delivery and answer with the app's status) and
// `verify` (a captured body against its signature header), with real deliveries of the stand-in.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeWebhookSignature } from "../../pkg/index.mjs";
import { allRecords, createHook, run, settled, standIn, start, startReceiver, stopAll } from "./support.mjs";

after(stopAll);
const SECRET = "S3cret-Key!";

describe("listen", () => {
  let stand;
  before(async () => {
    stand = await standIn();
  });
  after(() => stand?.portal.close());

  test("verifies and prints one line per delivery, the payload with --print-json; the portal sees its answers", async () => {
    const listener = start(["listen", "--secret", SECRET, "--port", "0", "--print-json"]);
    try {
      await listener.until(() => listener.lines.length >= 1, "the URL line");
      const url = listener.lines[0];
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const good = await createHook(stand, { name: "Good", uri: `${url}/good`, events: "FileUploaded" });
      const bad = await createHook(stand, { name: "Bad", uri: `${url}/bad`, events: "FileUploaded", secret: "Another-Key1" });
      // The probe's line is printed after the answer the portal waited for: wait for it too.
      await listener.until(() => /HEAD \/good → 200 \(the portal's probe\)/.test(listener.stderr()), "the probe's line");
      await stand.portal.emit("FileUploaded", { id: 42, title: "report.docx" });
      const records = await settled(stand.portal, stand.token("owner"), 2);
      await listener.until(() => listener.lines.some((line) => line.includes("signature ok")), "the good delivery");

      const goodRecord = records.find((record) => record.configName === "Good");
      const badRecord = records.find((record) => record.configName === "Bad");
      assert.equal(goodRecord.status, 200);
      assert.equal(badRecord.status, 401, "a bad signature gets 401 (and the portal retries it)");
      // The portal records each attempt when the answer arrives; the listener prints its line
      // after answering, so the last line may reach this process a moment later: wait for it
      // (lines come in order, so every earlier line and payload is in by then).
      await listener.until(
        () => listener.lines.some((line) => line.endsWith(`event ${badRecord.id}  webhook ${bad.id} (attempt 6)  signature bad  → 401`)),
        "the portal's own retries, numbered (attempt 6)",
      );
      const goodLine = listener.lines.find((line) => line.includes("signature ok"));
      assert.match(
        goodLine,
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  file\\.uploaded  event ${goodRecord.id}  webhook ${good.id}  signature ok  → 200$`,
        ),
      );
      assert.ok(
        listener.lines.some((line) =>
          new RegExp(`file\\.uploaded  event ${badRecord.id}  webhook ${bad.id}  signature bad  → 401$`).test(line),
        ),
        listener.lines.join("\n"),
      );
      // --print-json: the payload follows its line, pretty-printed.
      const at = listener.lines.indexOf(goodLine);
      const rest = listener.lines.slice(at + 1);
      const end = rest.indexOf("}");
      assert.deepEqual(JSON.parse(rest.slice(0, end + 1).join("\n")).payload, { id: 42, title: "report.docx" });
    } finally {
      const { code } = await listener.stop();
      assert.equal(code, 0, "Ctrl+C ends it with 0");
    }
  });

  test("--json: one object per line, the URL first", async () => {
    const listener = start(["listen", "--secret", SECRET, "--port", "0", "--json"]);
    try {
      await listener.until(() => listener.lines.length >= 1, "the first line");
      const { listening } = JSON.parse(listener.lines[0]);
      const hook = await createHook(stand, { name: "Json", uri: `${listening}/json`, events: "RoomCreated" });
      const [id] = await stand.portal.emit("RoomCreated", { id: 7 });
      await listener.until(() => listener.lines.length >= 2, "the delivery");
      const entry = JSON.parse(listener.lines[1]);
      assert.deepEqual(Object.keys(entry), [
        "receivedAt",
        "event",
        "eventId",
        "webhookId",
        "attempt",
        "signature",
        "status",
        "forwardedTo",
        "error",
      ]);
      assert.deepEqual(
        { ...entry, receivedAt: null },
        {
          receivedAt: null,
          event: "room.created",
          eventId: id,
          webhookId: hook.id,
          attempt: 1,
          signature: "ok",
          status: 200,
          forwardedTo: null,
          error: null,
        },
      );
    } finally {
      await listener.stop();
    }
  });

  test("--forward-to passes the raw body and headers unchanged and answers with the app's status and body", async () => {
    const app = await startReceiver((entry) =>
      entry.headers["x-fail"] ? { status: 500, body: "app broke" } : { status: 201, body: "created by the app" },
    );
    const listener = start(["listen", "--secret", SECRET, "--port", "0", "--forward-to", `${app.url}/app/hooks?x=1`]);
    try {
      await listener.until(() => listener.lines.length >= 1, "the URL line");
      const url = listener.lines[0];
      const hook = await createHook(stand, { name: "Forwarded", uri: `${url}/in`, events: "FolderCreated" });
      assert.equal(app.received.length, 0, "the portal's HEAD probe is answered by listen itself");
      const [id] = await stand.portal.emit("FolderCreated", { id: 5, title: "Über <&> 'quotes'" });
      const records = await settled(stand.portal, stand.token("owner"), id);
      const record = records.find((r) => r.id === id);
      assert.equal(record.status, 201, "the portal got the app's status");
      assert.equal(record.responsePayload, "created by the app", "and the app's body");
      const [forwarded] = app.posts();
      assert.equal(forwarded.url, "/app/hooks?x=1");
      assert.ok(forwarded.raw.equals(Buffer.from(record.requestPayload, "utf8")), "the body byte for byte");
      const sent = JSON.parse(record.requestHeaders);
      assert.equal(forwarded.headers["x-docspace-signature-256"], sent["x-docspace-signature-256"][0]);
      assert.equal(forwarded.headers.accept, "*/*");
      assert.equal(forwarded.headers["content-type"], "application/json; charset=utf-8");
      await listener.until(() => listener.lines.length >= 2, "the line");
      assert.match(listener.lines[1], new RegExp(`folder\\.created  event ${id}  webhook ${hook.id}  signature ok  → app 201 in \\d+ ms$`));

      // Any bytes at all (not UTF-8, CR LF, NUL) and extra headers pass unchanged; the answer too.
      const raw = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x0d, 0x0a, 0x22, 0xc3, 0x28, 0x20, 0x7d]);
      const response = await fetch(`${url}/in`, {
        method: "POST",
        headers: {
          "x-docspace-signature-256": computeWebhookSignature(SECRET, raw),
          "x-custom": "kept",
          "x-fail": "please",
          "content-type": "application/octet-stream",
        },
        body: raw,
      });
      assert.equal(response.status, 500);
      assert.equal(await response.text(), "app broke");
      const direct = app.posts().at(-1);
      assert.ok(direct.raw.equals(raw), `byte for byte: ${direct.raw.toString("hex")}`);
      assert.equal(direct.headers["x-custom"], "kept");
      assert.equal(direct.headers["content-type"], "application/octet-stream");
      await listener.until(() => listener.lines.length >= 3, "the line of the direct post");
      assert.match(listener.lines[2], /\?  event \?  webhook \?  signature ok  → app 500 in \d+ ms$/);
    } finally {
      await listener.stop();
      await app.close();
    }
  });

  test("an app that is down: the portal gets 502 and the line says why", async () => {
    const gone = await startReceiver();
    await gone.close();
    const listener = start(["listen", "--secret", SECRET, "--port", "0", "--forward-to", gone.url]);
    try {
      await listener.until(() => listener.lines.length >= 1, "the URL line");
      const raw = '{"event":{"id":1,"trigger":"file.created"},"payload":{},"webhook":{"id":3}}';
      const response = await fetch(listener.lines[0], {
        method: "POST",
        headers: { "x-docspace-signature-256": computeWebhookSignature(SECRET, raw) },
        body: raw,
      });
      assert.equal(response.status, 502);
      await listener.until(() => listener.lines.length >= 2, "the line");
      assert.match(
        listener.lines[1],
        /file\.created  event 1  webhook 3  signature ok  → 502 \(could not forward to http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\)$/,
      );
    } finally {
      await listener.stop();
    }
  });

  test("a busy port: exit 1 with one line", async () => {
    const busy = await startReceiver();
    try {
      const port = new URL(busy.url).port;
      const { code, stderr } = await run(["listen", "--secret", SECRET, "--port", port]);
      assert.equal(code, 1);
      assert.equal(stderr, `docspace-webhooks: port ${port} on 127.0.0.1 is already in use (network)\n`);
    } finally {
      await busy.close();
    }
  });
});

describe("verify", () => {
  let stand;
  let receiver;
  let work;
  before(async () => {
    stand = await standIn();
    receiver = await startReceiver();
    work = mkdtempSync(join(tmpdir(), "docspace-cli-verify-"));
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test("a captured delivery verifies from a file and from stdin; a changed byte does not", async () => {
    await createHook(stand, { name: "Captured", uri: `${receiver.url}/c`, events: "FileUploaded" });
    await stand.portal.emit("FileUploaded", { id: 9 });
    await settled(stand.portal, stand.token("owner"), 1);
    const [delivery] = receiver.posts();
    const header = delivery.headers["x-docspace-signature-256"];
    const file = join(work, "body.json");
    writeFileSync(file, delivery.raw);
    const [record] = await allRecords(stand.portal, stand.token("owner"));

    const ok = await run(["verify", "--secret", SECRET, "--signature", header, file]);
    assert.deepEqual(ok, {
      code: 0,
      stdout: `signature ok: file.uploaded, event ${record.id}, webhook ${JSON.parse(delivery.raw).webhook.id}\n`,
      stderr: "",
    });
    const piped = await run(["verify", "--signature", header.slice("sha256=".length).toLowerCase(), "-", "--json"], {
      env: { DOCSPACE_WEBHOOK_SECRET: SECRET },
      input: delivery.raw,
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(JSON.parse(piped.stdout), {
      valid: true,
      event: "file.uploaded",
      eventId: record.id,
      webhookId: JSON.parse(delivery.raw).webhook.id,
      bytes: delivery.raw.length,
    });

    const changed = Buffer.from(delivery.raw);
    changed[changed.length - 2] ^= 1;
    writeFileSync(file, changed);
    const bad = await run(["verify", "--secret", SECRET, "--signature", header, file]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^signature bad: .*body\.json \(\d+ bytes\) was not signed with this secret, or was changed\n$/);
    const wrongSecret = await run(["verify", "--secret", "Not-The-Key1", "--signature", header, "-"], { input: delivery.raw });
    assert.equal(wrongSecret.code, 1);
    assert.ok(!wrongSecret.stdout.includes("Not-The-Key1") && !wrongSecret.stderr.includes("Not-The-Key1"), "the secret is never printed");
    const missing = await run(["verify", "--secret", SECRET, "--signature", header, join(work, "nope.json")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /verify: cannot read .*nope\.json: ENOENT/);
  });
});
