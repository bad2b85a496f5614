// The shared client and receiver cases in headless Chromium against the browser build (pkg/browser.mjs).
// The page and the stand-in portal are on different origins, so every call goes through CORS.
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestPortal } from "../support/test-portal.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { launchChromium, watchPage } from "../support/chromium.mjs";
import { cases } from "./cases/client.cases.mjs";
import { cases as receiverCases } from "./cases/receiver.cases.mjs";
import { signatureVectors } from "../support/signature-vectors.mjs";

// The repository root: the harness page, the shared cases and pkg/ under their own paths.
const pages = await startStaticServer({ root: fileURLToPath(new URL("../../", import.meta.url)) });
const portal = await startTestPortal({ allowedOrigins: [pages.url] });
const browser = await launchChromium();
after(async () => {
  await browser.close();
  await pages.close();
  await portal.close();
});

const page = await browser.newPage();
const problems = watchPage(page);
await page.exposeFunction("portalControl", (name, args) => portal.control(name, args));
const query = new URLSearchParams({ api: portal.url });
await page.goto(`${pages.url}/tests/js/harness.html?${query}`);
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
    portal.reset();
    const result = await page.evaluate((caseName) => window.runCase("client", caseName), name);
    if (!result.ok) throw new Error(result.error);
    const violations = portal.violations();
    if (violations.length) throw new Error(violations.join("\n"));
  });
}

test("browser: no uncaught errors on the page", () => {
  const unexpected = problems.filter((line) => !line.includes("Failed to load resource"));
  if (unexpected.length) throw new Error(unexpected.join("\n"));
});
