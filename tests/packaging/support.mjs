// What the packaging suites share: the packed tarball, consumer projects with it installed the
// way a user installs it, and the stand-in portal from pkg/ for their requests.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const pkgDir = join(root, "pkg");
export const bin = (name) => join(root, "node_modules", ".bin", name);
const consumers = fileURLToPath(new URL("./consumers/", import.meta.url));

// Asynchronous on purpose: the portal lives in the test process and must keep answering.
const exec = promisify(execFile);
/** Runs a command; resolves to its stdout. The error of a failure carries stdout and stderr. */
export const run = async (command, args, cwd, env) =>
  (await exec(command, args, { cwd, env: env && { ...process.env, ...env }, encoding: "utf8", maxBuffer: 16 << 20 })).stdout;

export const manifest = () => JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

/** A scratch folder with the tarball `npm pack pkg/` makes; `cleanup()` removes both. */
export async function packTarball() {
  const work = mkdtempSync(join(tmpdir(), "docspace-webhooks-packaging-"));
  const [packed] = JSON.parse(await run("npm", ["pack", pkgDir, "--pack-destination", work, "--json"], root));
  return { work, tarball: join(work, packed.filename), cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/** tests/packaging/consumers/<name>, copied into `work` with the tarball installed. */
export async function installConsumer(work, tarball, name) {
  const dir = join(work, name);
  cpSync(join(consumers, name), dir, { recursive: true });
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], dir);
  return dir;
}

/**
 * The stand-in portal of pkg/, accepting loopback receivers, with two webhooks the consumers list
 * ("Production Webhook" first). `token` is the owner's; pages from `allowedOrigins` may call it.
 */
export async function startSeededPortal({ allowedOrigins = [] } = {}) {
  const { startPortal } = await import(join(pkgDir, "portal", "index.mjs"));
  const { WebhooksClient } = await import(join(pkgDir, "index.mjs"));
  const portal = await startPortal({ allowLoopback: true, timeScale: 0.01, serveStatic: false, allowedOrigins });
  const token = portal.users.find((user) => user.role === "owner").token;
  const client = new WebhooksClient({ baseUrl: portal.url, token });
  for (const name of ["Production Webhook", "Staging Webhook"]) {
    await client.createWebhook({ name, uri: `${portal.url}/stand-in/inbox/seed`, secretKey: "S3cret-Key!", ssl: false, triggers: "All" });
  }
  client.free();
  return { url: portal.url, token, close: () => portal.close() };
}
