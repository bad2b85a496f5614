// Runs every ```js block of the README as a user would paste it: each in its own process,
// importing "docspace-webhooks" (the built pkg/), against the stand-in portal reset to the
// tests' seed. Blocks without an import get the README's client preamble. Receiver examples are
// driven with real deliveries: a block that listens gets a port, its HEAD probe, a signed
// delivery (signed by node:crypto) and a forged one; a block that exports a fetch handler is
// imported and called. A `console.log(…); // value` line is a promise: the value printed is
// compared with the comment (`…` stands for anything, a trailing "(…)" is a remark), and the
// line must run.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { startTestPortal } from "../support/test-portal.mjs";
import { signatureVectors } from "../support/signature-vectors.mjs";
import { waitFor } from "../support/wait.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const preamble = `import { WebhooksClient, DocSpaceError, Trigger } from "docspace-webhooks";
const client = new WebhooksClient({ baseUrl: process.env.DOCSPACE_URL, token: process.env.DOCSPACE_TOKEN });
`;
const vectors = signatureVectors();

const work = mkdtempSync(join(tmpdir(), "docspace-webhooks-readme-"));
mkdirSync(join(work, "node_modules"));
symlinkSync(join(root, "pkg"), join(work, "node_modules", "docspace-webhooks"));
symlinkSync(join(root, "node_modules", "express"), join(work, "node_modules", "express"));
const portal = await startTestPortal();
const children = [];
after(async () => {
  for (const child of children) child.kill("SIGTERM");
  await portal.close();
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ ...process.env, DOCSPACE_URL: portal.url, DOCSPACE_TOKEN: portal.tokens.owner, WEBHOOK_SECRET: vectors.secret });

/**
 * Turns each `console.log(args); // expected` line into a checked one: it still prints, and a
 * value that differs from the comment, or a line that never runs, is reported on stderr.
 */
function withCheckedOutputs(code) {
  const expectations = [];
  const lines = code.split("\n").map((line, index) => {
    const found = line.match(/^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/);
    if (!found) return line;
    const expected = found[3].replace(/\s*\([^)]*\)\s*$/, "").trim();
    expectations.push(index + 1);
    return `${found[1]}__checkLog(${index + 1}, ${JSON.stringify(expected)}, ${found[2]});`;
  });
  if (!expectations.length) return code;
  const prelude = `import { format as __format } from "node:util";
const __unreached = new Set(${JSON.stringify(expectations)});
process.on("exit", () => { for (const line of __unreached) process.stderr.write(\`README example line \${line}: never ran\\n\`); });
function __checkLog(line, expected, ...args) {
  console.log(...args);
  __unreached.delete(line);
  const squeeze = (text) => text.replace(/,\\s+/g, ",").trim();
  const pattern = new RegExp("^" + squeeze(expected).split("…").map((part) => part.replace(/[.*+?^\${}()|[\\]\\\\]/g, "\\\\$&")).join(".*") + "$");
  const printed = __format(...args);
  const asJson = args.map((arg) => JSON.stringify(arg)).join(", ");
  if (!pattern.test(squeeze(printed)) && !pattern.test(squeeze(asJson))) {
    process.stderr.write(\`README example line \${line}: printed \${printed}, the comment says \${expected}\\n\`);
  }
}
`;
  return prelude + lines.join("\n");
}

async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  return port;
}

const delivery = (signature = vectors.deliverySignature) => ({
  method: "POST",
  body: vectors.delivery,
  headers: { "content-type": "application/json; charset=utf-8", "x-docspace-signature-256": signature },
});

async function driveServer(file) {
  const port = await freePort();
  const child = spawn(process.execPath, [file], { cwd: work, env: { ...env(), PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const closed = once(child, "close");
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/docspace`;
  let probe;
  for (let i = 0; i < 100 && !probe; i++) {
    probe = await fetch(url, { method: "HEAD" }).catch(() => new Promise((resolve) => setTimeout(resolve, 50)));
  }
  assert.equal(probe?.status, 200, `HEAD probe: ${output}`);
  assert.equal((await fetch(url, delivery())).status, 200);
  assert.equal((await fetch(url, delivery(vectors.empty))).status, 401, "a forged delivery is refused");
  // The line onEvent prints may reach this process after the answer did: wait for it (10 s at
  // most), then stop the server and read what is left of its output before counting.
  // A line that never comes fails the assertions below, which show the output.
  const eventLine = /file\.uploaded|uploaded: /;
  await waitFor(() => eventLine.test(output), { what: "the line onEvent prints" }).catch(() => {});
  child.kill("SIGTERM");
  await closed;
  assert.match(output, eventLine, "onEvent saw the delivery");
  assert.equal(output.split("\n").filter((line) => eventLine.test(line)).length, 1, "exactly once");
}

async function driveFetchHandler(file) {
  Object.assign(process.env, { WEBHOOK_SECRET: vectors.secret });
  const { default: server } = await import(pathToFileURL(file).href);
  assert.equal((await server.fetch(new Request("http://x/docspace", { method: "HEAD" }))).status, 200);
  assert.equal((await server.fetch(new Request("http://x/docspace", delivery()))).status, 200);
  assert.equal((await server.fetch(new Request("http://x/docspace", delivery(vectors.empty)))).status, 401);
}

test("the README has runnable examples", () => assert.ok(blocks.length >= 12, `${blocks.length} js blocks`));

blocks.forEach((code, index) => {
  const firstLine = code.split("\n").find((line) => line.trim() && !line.startsWith("import")) ?? "";
  test(`README example ${index + 1}: ${firstLine.slice(0, 70)}`, async () => {
    portal.reset();
    const file = join(work, `example-${index + 1}.mjs`);
    writeFileSync(file, withCheckedOutputs(code.includes("import ") ? code : preamble + code));
    if (code.includes(".listen(")) return driveServer(file);
    if (code.includes("export default")) return driveFetchHandler(file);
    const { stderr } = await promisify(execFile)(process.execPath, [file], { env: env(), cwd: work });
    assert.equal(stderr, "", "nothing on stderr");
    assert.deepEqual(portal.violations(), [], "every request matched the OpenAPI spec");
  });
});

test("a README output comment that is wrong fails its example", async () => {
  const file = join(work, "wrong-comment.mjs");
  writeFileSync(
    file,
    withCheckedOutputs(
      'import { Trigger } from "docspace-webhooks";\nconsole.log(Trigger.mask(["FileCreated", "file.uploaded"])); // 385\nif (false) {\n  console.log(1); // 1\n}\n',
    ),
  );
  const { stderr } = await promisify(execFile)(process.execPath, [file], { env: env(), cwd: work });
  assert.match(stderr, /line 2: printed 384, the comment says 385/);
  assert.match(stderr, /line 4: never ran/);
});
