// The README's two-host example (its ```js redis block, which tests/js/readme.test.mjs leaves
// alone as it needs a Redis) run as written on two "hosts" (processes) sharing one real
// redis-server: each event, sent to both at once, is handled once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SECRET, delivery, freePort, pool, postUntilAccepted, sleep, startRedis, tally } from "./support.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/^```js redis\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const work = mkdtempSync(join(tmpdir(), "docspace-webhooks-readme-redis-"));
const children = [];
let redis;

before(async () => {
  mkdirSync(join(work, "node_modules"));
  symlinkSync(join(root, "pkg"), join(work, "node_modules", "docspace-webhooks"));
  symlinkSync(join(root, "node_modules", "redis"), join(work, "node_modules", "redis"));
  redis = await startRedis();
});

after(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      process.kill(child.pid, "SIGTERM");
      await exited;
    }
  }
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the example as a host on a port of its own; its output is collected in `output.text`. */
async function host(file) {
  const port = await freePort();
  const env = { ...process.env, REDIS_URL: redis.url, WEBHOOK_SECRET: SECRET, PORT: String(port) };
  const child = spawn(process.execPath, [file], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const output = { text: "" };
  child.stdout.on("data", (chunk) => (output.text += chunk));
  child.stderr.on("data", (chunk) => (output.text += chunk));
  const url = `http://127.0.0.1:${port}/docspace`;
  for (let i = 0; i < 100; i++) {
    const probe = await fetch(url, { method: "HEAD" }).catch(() => null);
    if (probe?.status === 200) return { url, output };
    await sleep(50);
  }
  throw new Error(`the example did not answer the HEAD probe:\n${output.text}`);
}

test("the README has one two-host Redis example", () => assert.equal(blocks.length, 1));

test("the README's two-host example handles each event once across two hosts", async () => {
  const file = join(work, "two-hosts.mjs");
  writeFileSync(file, blocks[0]);
  const hosts = [await host(file), await host(file)];
  const events = Array.from({ length: 50 }, (_, i) => 9001 + i);
  await pool(events, 10, (id) => Promise.all(hosts.map((h) => postUntilAccepted(h.url, delivery(id)))));
  await sleep(100);
  const lines = hosts.flatMap((h) => h.output.text.split("\n").filter(Boolean));
  assert.deepEqual(
    lines.filter((line) => !/^file\.uploaded \d+$/.test(line)),
    [],
    "nothing but the example's own lines",
  );
  const counts = tally(lines.map((line) => Number(line.split(" ")[1])));
  assert.deepEqual(
    events.filter((id) => counts.get(id) !== 1),
    [],
    "each event printed once, by one of the two hosts",
  );
});
