// The webhook commands (list, triggers, create, update, enable, disable, remove) and the
// conventions every command keeps: --help with an example, --version, exit codes 0/1/2 with one
// clear line, colour only on a terminal and never with NO_COLOR, the token never printed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import { createHook, onTerminal, run, standIn, startReceiver, stopAll, waitFor } from "./support.mjs";

after(stopAll);

const hmac = (secret, raw) => "sha256=" + createHmac("sha256", secret).update(raw).digest("hex").toUpperCase();
const oneLine = (text) => text.trimEnd().split("\n").length === 1;

describe("help, version and usage errors", () => {
  const names = ["list", "triggers", "create", "update", "enable", "disable", "remove", "logs", "retry", "trigger", "listen", "verify"];

  test("every command has --help with its usage and an example", async () => {
    const overview = await run(["--help"]);
    assert.equal(overview.code, 0);
    for (const name of names) assert.match(overview.stdout, new RegExp(`^  ${name} `, "m"), `${name} in the overview`);
    for (const name of names) {
      const { code, stdout, stderr } = await run([name, "--help"]);
      assert.equal(code, 0, `${name} --help: ${stderr}`);
      assert.match(stdout, new RegExp(`^Usage: docspace-webhooks ${name}\\b`));
      assert.match(stdout, /^Examples?:\n  \$ docspace-webhooks /m, `${name} --help has an example`);
      assert.equal((await run(["help", name])).stdout.trimEnd(), stdout.trimEnd());
    }
  });

  test("--version is the package's version", async () => {
    const manifest = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
    assert.deepEqual(await run(["--version"]), { code: 0, stdout: `${manifest.version}\n`, stderr: "" });
  });

  test("a bad flag, a typo'd command or a bad value: exit 2, one line naming it, a suggestion for typos", async () => {
    const env = { DOCSPACE_URL: "http://127.0.0.1:9", DOCSPACE_TOKEN: "sk-not-used" };
    const cases = [
      [["logs", "--stauts", "5xx"], /^docspace-webhooks: logs: unknown flag --stauts; did you mean --status\?$/],
      [["lsit"], /^docspace-webhooks: unknown command "lsit"; did you mean list\?/],
      [["logs", "--limit"], /--limit needs a value/],
      [["list", "--json=yes"], /--json takes no value/],
      [["logs", "--status", "5xxx"], /--status: unknown status "5xxx"; did you mean 5xx\?/],
      [["logs", "--since", "yesterday"], /--since must be a duration such as 30m/],
      [["logs", "--event", "FileUplaoded"], /--event: unknown event "FileUplaoded"; did you mean FileUploaded\?/],
      [
        ["create", "--name", "n", "--uri", "https://h.example.com", "--events", "FileUplaoded", "--generate-secret"],
        /--events: unknown trigger "FileUplaoded"; did you mean "FileUploaded"\?/,
      ],
      [["create", "--uri", "https://h.example.com", "--events", "All", "--generate-secret"], /create: --name is required/],
      [["create", "--name", "n", "--uri", "https://h.example.com", "--events", "All"], /--secret S or --generate-secret is required/],
      [["update", "7"], /update: nothing to change/],
      [["update", "seven", "--name", "x"], /update: ID must be a positive whole number, got "seven"/],
      [["enable"], /enable: missing ID/],
      [["retry"], /retry: give the ids to redeliver, or --failed/],
      [["retry", "--failed", "--batch-size", "0"], /--batch-size must be a whole number ≥ 1/],
      [["list", "extra"], /unexpected argument "extra"/],
      [["--json", "list"], /put the command first/],
      [["listen", "--port", "0"], /listen: --secret is required/],
      [["trigger", "file.uplaoded"], /trigger: EVENT: unknown event "file.uplaoded"; did you mean/],
      [["trigger", "file.uploaded", "--data", "[1]"], /--data must be a JSON object/],
    ];
    for (const [args, expected] of cases) {
      const { code, stdout, stderr } = await run(args, { env });
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr.trimEnd(), expected, args.join(" "));
      assert.ok(oneLine(stderr), `one line for ${args.join(" ")}: ${stderr}`);
      assert.equal(stdout, "");
    }
  });

  test("no portal or token given: a usage error saying how to give them", async () => {
    const noPortal = await run(["list"], { env: { DOCSPACE_TOKEN: "sk-x" } });
    assert.equal(noPortal.code, 2);
    assert.match(noPortal.stderr, /no portal: pass --portal URL or set DOCSPACE_URL/);
    const noToken = await run(["list", "--portal", "http://127.0.0.1:9"]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /no token: pass --token TOKEN or set DOCSPACE_TOKEN/);
    const badUrl = await run(["list", "--portal", "ftp://portal", "--token", "sk-x"]);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /^docspace-webhooks: --portal: must use http or https/);
  });
});

describe("against the stand-in portal", () => {
  let stand;
  let receiver;
  before(async () => {
    stand = await standIn();
    receiver = await startReceiver((entry) => (entry.url.startsWith("/refuse") ? 404 : 200));
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
  });

  test("a wrong token: exit 1, one line with the portal's message, kind and status", async () => {
    const { code, stdout, stderr } = await run(["list"], { env: { DOCSPACE_URL: stand.portal.url, DOCSPACE_TOKEN: "sk-wrong-token" } });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /^docspace-webhooks: Unauthorized: the portal did not accept the token or password \(http, status 401\)\n$/);
  });

  test("an unreachable portal: exit 1, one line of kind network", async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const { code, stdout, stderr } = await run(["list"], { env: { DOCSPACE_URL: `http://127.0.0.1:${port}`, DOCSPACE_TOKEN: "sk-x" } });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, new RegExp(`^docspace-webhooks: could not reach the portal .*127\\.0\\.0\\.1:${port}.* \\(network\\)\\n$`));
  });

  test("create --generate-secret prints the secret once, and deliveries are signed with it", async () => {
    const { code, stdout, stderr } = await run(
      [
        "create",
        "--name",
        "Generated",
        "--uri",
        `${receiver.url}/generated`,
        "--events",
        "FileUploaded,room.created",
        "--generate-secret",
        "--no-ssl",
      ],
      { env: stand.env() },
    );
    assert.equal(code, 0, stderr);
    const secret = stdout.match(/Signing secret \(shown once[^\n]*\n {2}(\S+)\n/)?.[1];
    assert.ok(secret && secret.length >= 8 && secret.length <= 30, stdout);
    assert.equal(stdout.split(secret).length, 2, "printed exactly once");
    assert.match(
      stdout,
      /^Created webhook \d+ "Generated" → http:\/\/127\.0\.0\.1:\d+\/generated\n {2}events: file\.uploaded, room\.created · enabled/,
    );
    await stand.portal.emit("FileUploaded", { id: 1 });
    await waitFor(() => receiver.posts().some((entry) => entry.url === "/generated"), "the delivery");
    const delivery = receiver.posts().find((entry) => entry.url === "/generated");
    assert.equal(delivery.headers["x-docspace-signature-256"], hmac(secret, delivery.raw));
  });

  test("list and list --json: the table and a stable shape", async () => {
    await run(
      [
        "create",
        "--name",
        "Listed",
        "--uri",
        `${receiver.url}/listed`,
        "--events",
        "All",
        "--secret",
        "S3cret-Key!",
        "--no-ssl",
        "--disabled",
      ],
      {
        env: stand.env(),
      },
    );
    const table = await run(["list"], { env: stand.env() });
    assert.equal(table.code, 0, table.stderr);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    assert.match(header, /^ID {2}NAME +RECEIVER +ENABLED {2}EVENTS +LAST STATUS$/);
    assert.ok(
      rows.some((row) => /^ *\d+ {2}Listed +http:\/\/127\.0\.0\.1:\d+\/listed +no +all events +never delivered$/.test(row)),
      table.stdout,
    );
    assert.ok(!table.stdout.includes("\x1b["), "no colour when stdout is not a terminal");
    const json = await run(["list", "--json"], { env: stand.env() });
    const listed = JSON.parse(json.stdout).find((hook) => hook.name === "Listed");
    assert.deepEqual(Object.keys(listed), [
      "id",
      "name",
      "uri",
      "enabled",
      "ssl",
      "events",
      "triggers",
      "targetId",
      "lastStatus",
      "createdOn",
      "modifiedOn",
      "lastSuccessOn",
      "lastFailureOn",
      "lastFailureContent",
    ]);
    assert.deepEqual(
      { ...listed, id: 0, createdOn: "" },
      {
        id: 0,
        name: "Listed",
        uri: `${receiver.url}/listed`,
        enabled: false,
        ssl: false,
        events: ["*"],
        triggers: 0,
        targetId: null,
        lastStatus: 0,
        createdOn: "",
        modifiedOn: null,
        lastSuccessOn: null,
        lastFailureOn: null,
        lastFailureContent: null,
      },
    );
  });

  test("triggers lists every event and whether the user may use it", async () => {
    const json = JSON.parse((await run(["triggers", "--json"], { env: stand.env("user") })).stdout);
    assert.equal(json.length, 37);
    assert.deepEqual(
      json.find((t) => t.name === "file.uploaded"),
      { id: 256, name: "file.uploaded", key: "FileUploaded", available: true },
    );
    assert.equal(json.find((t) => t.name === "room.created").available, false);
    const table = await run(["triggers"], { env: stand.env() });
    assert.match(table.stdout, /^file\.uploaded +FileUploaded +256 {2}yes$/m);
  });

  test("update changes only what is given, and keeps the secret", async () => {
    const created = await createHook(stand, {
      name: "Patched",
      uri: `${receiver.url}/patched`,
      events: "FileUploaded",
      secret: "Old-Secret-1",
      extra: ["--target-id", "42"],
    });
    const updated = await run(["update", String(created.id), "--name", "Renamed", "--events", "FileUploaded,FileUpdated"], {
      env: stand.env(),
    });
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^Updated webhook \d+ "Renamed"/);
    assert.match(updated.stdout, /changed: name, events/);
    const after = JSON.parse((await run(["list", "--json"], { env: stand.env() })).stdout).find((hook) => hook.id === created.id);
    assert.deepEqual(
      [after.name, after.events, after.uri, after.ssl, after.enabled, after.targetId],
      ["Renamed", ["file.uploaded", "file.updated"], created.uri, false, true, "42"],
    );
    await stand.portal.emit("FileUpdated", { id: 42 });
    await waitFor(() => receiver.posts().some((entry) => entry.url === "/patched"), "a delivery to the updated webhook");
    const delivery = receiver.posts().find((entry) => entry.url === "/patched");
    assert.equal(delivery.headers["x-docspace-signature-256"], hmac("Old-Secret-1", delivery.raw), "the secret was kept");
    const cleared = await run(["update", String(created.id), "--no-target", "--json"], { env: stand.env() });
    assert.equal(JSON.parse(cleared.stdout).webhook.targetId, null);
  });

  test("invalid input the client catches names the flag: exit 2", async () => {
    const { code, stderr } = await run(
      ["create", "--name", "x".repeat(51), "--uri", `${receiver.url}/x`, "--events", "All", "--secret", "S3cret-Key!", "--no-ssl"],
      {
        env: stand.env(),
      },
    );
    assert.equal(code, 2);
    assert.match(stderr, /^docspace-webhooks: --name: must be at most 50 characters/);
    assert.ok(oneLine(stderr));
  });

  test("the portal refusing a receiver: exit 1 with its message; a plain-http one without --no-ssl: the flag named", async () => {
    const refused = await run(
      ["create", "--name", "Refused", "--uri", `${receiver.url}/refuse`, "--events", "All", "--secret", "S3cret-Key!", "--no-ssl"],
      {
        env: stand.env(),
      },
    );
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^docspace-webhooks: Webhook URL is not available\. HEAD request is not response 200 http status\. \(http, status 400\)\n$/,
    );
    const plain = await run(["create", "--name", "Plain", "--uri", `${receiver.url}/x`, "--events", "All", "--secret", "S3cret-Key!"], {
      env: stand.env(),
    });
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /^docspace-webhooks: --uri: must use https .*; pass --no-ssl for a plain-http receiver\n$/);
  });

  test("enable and disable", async () => {
    const webhook = await createHook(stand, { name: "Switch", uri: `${receiver.url}/switch` });
    const off = await run(["disable", String(webhook.id)], { env: stand.env() });
    assert.deepEqual([off.code, off.stdout], [0, `Disabled webhook ${webhook.id} "Switch" → ${webhook.uri}\n`]);
    const on = await run(["enable", String(webhook.id), "--json"], { env: stand.env() });
    assert.equal(JSON.parse(on.stdout)[0].enabled, true);
    const missing = await run(["enable", "999999"], { env: stand.env() });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\(http, status 404\)\n$/);
  });

  test("remove: --yes off a terminal is required; on a terminal it asks", async () => {
    const create = (name) => createHook(stand, { name, uri: `${receiver.url}/${name}` });
    const first = await create("Doomed");
    const refused = await run(["remove", String(first.id)], { env: stand.env() });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /remove: not on a terminal, so nobody can confirm: pass --yes/);
    const removed = await run(["remove", String(first.id), "--yes"], { env: stand.env() });
    assert.deepEqual([removed.code, removed.stdout], [0, `Deleted webhook ${first.id} "Doomed" → ${first.uri}\n`]);

    const second = await create("Asked");
    const declined = await onTerminal(["remove", String(second.id)], { env: stand.env(), input: "n\n" });
    assert.match(declined.output, /Delete webhook \d+ "Asked" .* and its delivery log\? \[y\/N\]/);
    assert.match(declined.output, /Nothing deleted\./);
    const still = JSON.parse((await run(["list", "--json"], { env: stand.env() })).stdout);
    assert.ok(
      still.some((hook) => hook.id === second.id),
      "declining keeps it",
    );
    const confirmed = await onTerminal(["remove", String(second.id)], { env: stand.env(), input: "y\n" });
    assert.equal(confirmed.code, 0);
    assert.match(confirmed.output, /Deleted webhook \d+ "Asked"/);
    const gone = JSON.parse((await run(["list", "--json"], { env: stand.env() })).stdout);
    assert.ok(!gone.some((hook) => hook.id === second.id));
  });

  test("colour on a terminal only, and never with NO_COLOR", async () => {
    const coloured = await onTerminal(["list"], { env: stand.env() });
    assert.equal(coloured.code, 0);
    assert.match(coloured.output, /\x1b\[3\dm/);
    const plain = await onTerminal(["list"], { env: { ...stand.env(), NO_COLOR: "1" } });
    assert.equal(plain.code, 0);
    assert.doesNotMatch(plain.output, /\x1b\[3\dm/);
    assert.match(plain.output, /^ID {2}NAME/m);
  });

  test("the token is never printed, not even with --verbose, which shows method, URL, status and time", async () => {
    const token = stand.token("owner");
    const outputs = [];
    for (const args of [
      ["list", "--verbose"],
      ["logs", "--verbose", "--limit", "1"],
      ["trigger", "file.uploaded", "--verbose"],
      ["remove", "999999", "--yes", "--verbose"],
      ["list", "--verbose", "--token", token, "--portal", stand.portal.url],
      ["lsit", "--token", token],
      ["list", "--tokne", token],
      ["list", token],
    ]) {
      outputs.push(await run(args, { env: stand.env() }));
    }
    for (const { stdout, stderr } of outputs) {
      assert.ok(!stdout.includes(token) && !stderr.includes(token), `token leaked:\n${stdout}\n${stderr}`);
    }
    assert.match(outputs[0].stderr, new RegExp(`^GET ${stand.portal.url}/api/2\\.0/settings/webhook → 200 in \\d+ ms$`, "m"));
    assert.match(outputs[2].stderr, new RegExp(`^POST ${stand.portal.url}/stand-in/events → 200 in \\d+ ms$`, "m"));
    assert.match(outputs[3].stderr, /^DELETE .*\/api\/2\.0\/settings\/webhook\/999999 → 404 in \d+ ms$/m);
  });
});

describe("trigger", () => {
  let stand;
  let receiver;
  before(async () => {
    stand = await standIn();
    receiver = await startReceiver();
  });
  after(async () => {
    await stand?.portal.close();
    await receiver?.close();
  });

  test("fans an event out on the stand-in: the log ids, and real deliveries", async () => {
    await run(["create", "--name", "T", "--uri", `${receiver.url}/t`, "--events", "FileUploaded", "--secret", "S3cret-Key!", "--no-ssl"], {
      env: stand.env(),
    });
    const { code, stdout, stderr } = await run(["trigger", "FileUploaded", "--data", '{"id":42,"title":"report.docx"}', "--json"], {
      env: stand.env(),
    });
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result.event, "file.uploaded");
    assert.equal(result.deliveries.length, 1);
    await waitFor(() => receiver.posts().length === 1, "the delivery");
    assert.deepEqual(JSON.parse(receiver.posts()[0].raw).payload, { id: 42, title: "report.docx" });
    const none = await run(["trigger", "room.deleted"], { env: stand.env() });
    assert.match(none.stdout, /^Triggered room\.deleted: no enabled webhook is subscribed to it, nothing was sent\.$/m);
  });

  test("a real portal (no stand-in endpoint, 404), or a user who may not: exit 1 with a clear line", async () => {
    const answers = [
      [404, "text/html", "<html>not found</html>"],
      [403, "application/json", JSON.stringify({ error: { message: "Access denied" }, status: 1, statusCode: 403 })],
    ];
    const portal = await startReceiver(() => {
      const [status, type, body] = answers[0];
      return { status, type, body };
    });
    try {
      const env = { DOCSPACE_URL: portal.url, DOCSPACE_TOKEN: "sk-real" };
      const real = await run(["trigger", "file.uploaded"], { env });
      assert.equal(real.code, 1);
      assert.match(
        real.stderr,
        /^docspace-webhooks: http:\/\/127\.0\.0\.1:\d+ has no stand-in events endpoint: `trigger` works only with the stand-in portal .* \(http, status 404\)\n$/,
      );
      answers.shift();
      const denied = await run(["trigger", "file.uploaded"], { env });
      assert.equal(denied.code, 1);
      assert.equal(
        denied.stderr,
        "docspace-webhooks: the token's user may not trigger events (the stand-in wants an owner or admin token): Access denied (http, status 403)\n",
      );
    } finally {
      await portal.close();
    }
  });
});
