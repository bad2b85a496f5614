// The shared client and receiver cases in headless Chromium against the browser build (pkg/browser.mjs).
// The page and the API fixture are on different origins, so every call goes through CORS.
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startFixture } from "../support/fixture.mjs";
import { launchChromium, watchPage } from "../support/chromium.mjs";
import { cases } from "./cases/client.cases.mjs";
import { cases as receiverCases } from "./cases/receiver.cases.mjs";
import { signatureVectors } from "../support/signature-vectors.mjs";

const dir = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const fixture = await startFixture();
const pages = await startFixture({ static: { "/pkg/": dir("../../pkg/"), "/cases/": dir("./cases/"), "/harness/": dir("./") } });
const browser = await launchChromium();
after(async () => {
  await browser.close();
  await pages.close();
  await fixture.close();
});

const page = await browser.newPage();
const problems = watchPage(page);
await page.exposeFunction("fixtureControl", (name, args) => fixture.control(name, args));
const query = new URLSearchParams({ api: fixture.url, tokens: JSON.stringify(fixture.tokens) });
await page.goto(`${pages.url}/harness/harness.html?${query}`);
await page.waitForFunction(() => window.harnessReady === true, null, { timeout: 15000 });

const vectors = signatureVectors();
for (const name of Object.keys(receiverCases)) {
  test(`browser receiver: ${name}`, async () => {
    const result = await page.evaluate(([caseName, caseVectors]) => window.runCase("receiver", caseName, caseVectors), [name, vectors]);
    if (!result.ok) throw new Error(result.error);
  });
}

for (const name of Object.keys(cases)) {
  test(`browser: ${name}`, async () => {
    fixture.reset();
    const result = await page.evaluate((caseName) => window.runCase("client", caseName), name);
    if (!result.ok) throw new Error(result.error);
    if (fixture.state.violations.length) throw new Error(fixture.state.violations.join("\n"));
  });
}

test("browser: no uncaught errors on the page", () => {
  const unexpected = problems.filter((line) => !line.includes("Failed to load resource"));
  if (unexpected.length) throw new Error(unexpected.join("\n"));
});
