// The types of docspace-webhooks/redis accept the real clients, as their own type declarations
// describe them (node-redis current and v4, ioredis, and their cluster clients), under
// `tsc --strict`; the strict consumer in tests/packaging checks the rest with no Redis types.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "docspace-webhooks-redis-types-"));
after(() => rmSync(work, { recursive: true, force: true }));

const consumer = `
import { createClient, createCluster } from "redis";
import { createClient as createClientV4 } from "node-redis-v4";
import { Cluster, Redis } from "ioredis";
import { createWebhookHandler } from "docspace-webhooks";
import { redisDedupe } from "docspace-webhooks/redis";

const clients = [createClient(), createCluster({ rootNodes: [] }), createClientV4(), new Redis(), new Cluster([])] as const;
for (const client of clients) {
  createWebhookHandler({ secret: "s", onEvent() {}, dedupe: redisDedupe(client, { prefix: "p:", ttlMs: 1000 }) });
}
// @ts-expect-error: a connection string is not a client
redisDedupe("redis://127.0.0.1:6379");
// @ts-expect-error: misspelt option
redisDedupe(new Redis(), { lockMS: 1 });
`;

test("redisDedupe's types take node-redis (current and v4) and ioredis clients, single and cluster", async () => {
  mkdirSync(join(work, "node_modules"));
  symlinkSync(join(root, "pkg"), join(work, "node_modules", "docspace-webhooks"));
  for (const name of ["redis", "node-redis-v4", "ioredis"]) symlinkSync(join(root, "node_modules", name), join(work, "node_modules", name));
  writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(work, "consumer.ts"), consumer);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
    skipLibCheck: true, // the clients' own declarations are theirs to check
  };
  writeFileSync(join(work, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", "."], { cwd: work, encoding: "utf8" });
  } catch (error) {
    assert.fail(`${error.stdout}${error.stderr}`);
  }
});
