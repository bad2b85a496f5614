// Runs every ```js block of the README, as a user would paste it, against the fixture: each
// in its own process, importing "docspace-webhooks" (the built pkg/), on a freshly reset
// fixture. Blocks without an import get the README's client preamble.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startFixture } from "../support/fixture.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const preamble = `import { WebhooksClient, DocSpaceError, Trigger } from "docspace-webhooks";
const client = new WebhooksClient({ baseUrl: process.env.DOCSPACE_URL, token: process.env.DOCSPACE_TOKEN });
`;

const work = mkdtempSync(join(tmpdir(), "docspace-webhooks-readme-"));
mkdirSync(join(work, "node_modules"));
symlinkSync(join(root, "pkg"), join(work, "node_modules", "docspace-webhooks"));
const fixture = await startFixture();
after(async () => {
  await fixture.close();
  rmSync(work, { recursive: true, force: true });
});

test("the README has runnable examples", () => assert.ok(blocks.length >= 8, `${blocks.length} js blocks`));

blocks.forEach((code, index) => {
  const firstLine = code.split("\n").find((line) => line.trim() && !line.startsWith("import")) ?? "";
  test(`README example ${index + 1}: ${firstLine.slice(0, 70)}`, async () => {
    fixture.reset();
    const file = join(work, `example-${index + 1}.mjs`);
    writeFileSync(file, code.includes("import ") ? code : preamble + code);
    const env = { ...process.env, DOCSPACE_URL: fixture.url, DOCSPACE_TOKEN: fixture.tokens.owner };
    const { stderr } = await promisify(execFile)(process.execPath, [file], { env, cwd: work });
    assert.equal(stderr, "", "nothing on stderr");
    assert.deepEqual(fixture.state.violations, [], "every request matched the OpenAPI spec");
  });
});
