#!/usr/bin/env node
// Runs the test fixture as its own process (for the wasm-bindgen browser and Node tests, whose
// runner cannot start servers). Prints the base URL as the first line; stops on SIGTERM/SIGINT.
import { startFixture } from "./fixture.mjs";

const fixture = await startFixture({ port: Number(process.argv[2] ?? 0) });
console.log(fixture.url);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await fixture.close();
    process.exit(0);
  });
}
