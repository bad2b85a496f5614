#!/usr/bin/env node
// docspace-webhooks-portal: the stand-in DocSpace portal from the command line. The first
// stdout line is the base URL; then the users and their tokens; then a line per delivery.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { checkUsers, startPortal } from "./index.mjs";

const HELP = `Usage: docspace-webhooks-portal [options]

A local stand-in for the webhook API of an ONLYOFFICE DocSpace portal, which really delivers
signed webhooks. It serves the demo admin page at / and the browser build at /pkg/.

Options:
  --port <n>          port to listen on (default 0: a free one)
  --host <addr>       address to bind (default 127.0.0.1)
  --config <file>     {"users":[{"id","displayName","role","token"}]}; roles: owner, admin,
                      roomAdmin, user, guest (default: one seeded user per role)
  --data <file>       keep the state in this JSON file, written atomically (default: memory)
  --allow-loopback    accept receivers on loopback/private addresses (the real portal refuses
                      them); ssl: true still needs https
  --time-scale <f>    multiply every delivery retry delay (e.g. 0.01; default 1)
  --allow-origin <o>  also let web pages from origin <o> (e.g. http://localhost:5173) read the
                      API's answers (CORS); repeatable. The portal's own origin always may
  --rate-limit        limit the retry endpoints to 5 requests per 15 minutes per user and
                      path, as a server with its rate limiter enabled does (off by default,
                      as the server ships)
  --no-rate-limit     the default: no limit on the retry endpoints
  --help              show this text
  --version           show the version
`;

function fail(message, code = 2) {
  process.stderr.write(`docspace-webhooks-portal: ${message}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      config: { type: "string" },
      data: { type: "string" },
      "allow-loopback": { type: "boolean", default: false },
      "time-scale": { type: "string", default: "1" },
      "allow-origin": { type: "string", multiple: true, default: [] },
      "rate-limit": { type: "boolean", default: false },
      "no-rate-limit": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      version: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(`${error.message}\n\n${HELP}`);
}

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (values.version) {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${manifest.version}\n`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535, got ${values.port}`);
const timeScale = Number(values["time-scale"]);
if (!Number.isFinite(timeScale) || timeScale < 0) fail(`--time-scale must be a number ≥ 0, got ${values["time-scale"]}`);

let users;
if (values.config) {
  try {
    const config = JSON.parse(await readFile(values.config, "utf8"));
    users = checkUsers(config?.users);
  } catch (error) {
    fail(`${values.config}: ${error.message}`, 1);
  }
}

let portal;
try {
  portal = await startPortal({
    port,
    host: values.host,
    users,
    dataFile: values.data,
    allowLoopback: values["allow-loopback"],
    timeScale,
    retryRateLimit: values["rate-limit"] && !values["no-rate-limit"],
    allowedOrigins: values["allow-origin"],
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
} catch (error) {
  fail(error.message, 1);
}

const owner = portal.users.find((user) => user.role === "owner") ?? portal.users[0];
process.stdout.write(`${portal.url}\n`);
process.stdout.write(`DocSpace stand-in portal: demo page ${portal.url}/#token=${owner.token}\n`);
for (const user of portal.users) process.stdout.write(`  ${user.role.padEnd(9)} ${user.displayName.padEnd(16)} token ${user.token}\n`);
if (values["allow-loopback"]) process.stdout.write(`  demo receiver: ${portal.url}/stand-in/inbox/<name> (add ?status=503 to fail)\n`);
process.stdout.write("Press Ctrl+C to stop.\n");

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await portal.close();
    process.exit(0);
  });
}
