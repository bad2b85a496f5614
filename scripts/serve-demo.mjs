#!/usr/bin/env node
// Serves www/ (the demo admin page) and pkg/ (the browser build it imports) next to the
// DocSpace-like webhook API of the test fixture, on one origin.
// Until the stand-in portal exists, the API is the fixture's: it lists webhooks only.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startFixture } from "../tests/support/fixture.mjs";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, host: { type: "string", default: "127.0.0.1" } } });
const dir = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const server = await startFixture({
  port: Number(values.port),
  host: values.host,
  static: { "/": dir("../www/"), "/pkg/": dir("../pkg/") },
});
console.log(server.url);
console.log(`Open ${server.url}/#token=${server.tokens.owner} (owner token: ${server.tokens.owner})`);
console.log("Press Ctrl+C to stop.");
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await server.close();
    process.exit(0);
  });
}
