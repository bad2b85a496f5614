#!/usr/bin/env node
// Runs the tests' stand-in portal (tests/support/test-portal.mjs: test hooks, stubbed network,
// the shared seed) as its own process, for the wasm-bindgen Node and browser tests, whose
// runner cannot start servers. Prints the base URL as the first line; stops on SIGTERM/SIGINT.
//
//   node tests/support/portal-cli.mjs [allowed-origin…]
import { startTestPortal } from "./test-portal.mjs";

const portal = await startTestPortal({ allowedOrigins: process.argv.slice(2) });
console.log(portal.url);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await portal.close();
    process.exit(0);
  });
}
