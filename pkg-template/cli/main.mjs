#!/usr/bin/env node
// docspace-webhooks: manage, watch, redeliver and receive ONLYOFFICE DocSpace webhooks from a
// terminal, built on the package's own public API. Exit codes: 0 success; 1 an API, network or
// delivery failure (one line: the DocSpaceError's message, kind and status); 2 a usage error
// (one line naming the bad flag); 130 stopped by Ctrl+C before finishing.
import { readFileSync } from "node:fs";
import { DocSpaceError } from "../index.mjs";
import { PROGRAM, UsageError, closest, helpOf, parseCommand } from "./args.mjs";
import { connect } from "./connect.mjs";
import { createOutput } from "./output.mjs";
import { commands as webhookCommands } from "./webhooks.mjs";
import { logs } from "./logs.mjs";
import { retry } from "./retry.mjs";
import { commands as eventCommands } from "./events.mjs";
import { commands as receiveCommands } from "./receive.mjs";

const COMMANDS = [...webhookCommands, logs, retry, ...eventCommands, ...receiveCommands];
/** The client's input fields, as this command line spells them. */
const FIELD_FLAGS = {
  name: "--name",
  uri: "--uri",
  secretKey: "--secret",
  triggers: "--events",
  targetId: "--target-id",
  baseUrl: "--portal",
};

function version() {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}

function mainHelp() {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 4;
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Manage, watch, redeliver and receive the webhooks of an ONLYOFFICE DocSpace portal.",
    "",
    "Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    "",
    "The portal and the token: --portal URL --token TOKEN, or DOCSPACE_URL and DOCSPACE_TOKEN.",
    "The token is never printed, not even with --verbose. Colour only on a terminal; NO_COLOR turns it off.",
    "Exit codes: 0 success, 1 API or network error, 2 usage error.",
    "",
    `Run '${PROGRAM} <command> --help' for a command's options and an example.`,
    "",
    "Example:",
    `  $ DOCSPACE_URL=https://portal.example.com DOCSPACE_TOKEN=sk-… ${PROGRAM} logs --status 5xx --since 2h`,
    "",
  ].join("\n");
}

/** One line for a DocSpaceError: the message, its kind and status; a client field becomes its flag. */
function describe(error) {
  // The client's hints speak of its options; here they are flags.
  const text = String(error.message)
    .replace(/\s*\n\s*/g, " ")
    .replace(/\bpass ssl: false\b/, "pass --no-ssl");
  if (error.kind === "invalid_input") {
    const field = Object.keys(error.details ?? {}).find((key) => FIELD_FLAGS[key.replace(/\[\d+\]$/, "")]);
    if (field) return `${FIELD_FLAGS[field.replace(/\[\d+\]$/, "")]}: ${text.replace(/^[\w.[\]]+: /, "")}`;
  }
  const about = [error.kind, error.status !== undefined ? `status ${error.status}` : null].filter(Boolean).join(", ");
  return `${text} (${about})`;
}

async function main(argv, io, out) {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (name === "help" && rest[0] !== undefined && !command) throw new UsageError(`unknown command ${JSON.stringify(rest[0])}`);
    (name === undefined ? io.stderr : io.stdout).write(command ? helpOf(command) : mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    out.line(version());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const hint = closest(
      name,
      COMMANDS.map((c) => c.name),
    );
    const what = name.startsWith("-")
      ? `put the command first: ${PROGRAM} <command> [options] (got ${name})`
      : `unknown command ${JSON.stringify(name)}`;
    throw new UsageError(`${what}${hint ? `; did you mean ${hint}?` : ""} (see ${PROGRAM} --help)`);
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    out.line(helpOf(command).trimEnd());
    return 0;
  }
  const { values, positionals } = parseCommand(command, rest);
  if (command.stoppable?.(values)) stopOnCtrlC(io.controller);
  const context = { values, positionals, out, env: io.env, stdin: io.stdin, signal: io.controller.signal };
  // Everything about the command line is checked before any request goes out.
  await command.validate?.(context);
  if (command.portal) context.portal = connect(values, io.env, out);
  return (await command.run(context)) ?? 0;
}

/**
 * For commands that run until stopped (or long enough to want a summary): the first Ctrl+C
 * aborts their signal, so they stop cleanly; a second one exits at once. Others just die.
 */
function stopOnCtrlC(controller) {
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => (controller.signal.aborted ? process.exit(130) : controller.abort()));
  }
}

const io = { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, controller: new AbortController() };

// One output for the whole run, hiding the token from the first line on: even a usage error
// that echoes an argument cannot show it.
const out = createOutput(io);
out.hide(io.env.DOCSPACE_TOKEN);
process.argv.forEach((arg, i, all) => out.hide(arg === "--token" ? all[i + 1] : arg.startsWith("--token=") ? arg.slice(8) : undefined));
// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (error) => error.code === "EPIPE" && process.exit(code ?? 0));
let code;
try {
  code = await main(process.argv.slice(2), io, out);
} catch (error) {
  if (error instanceof UsageError) {
    out.err(`${PROGRAM}: ${error.message}`);
    code = 2;
  } else if (error instanceof DocSpaceError) {
    out.err(`${PROGRAM}: ${describe(error)}`);
    code = error.kind === "invalid_input" ? 2 : 1;
  } else {
    out.err(`${PROGRAM}: unexpected error: ${error?.stack ?? error}`);
    code = 1;
  }
}
// Let stdout drain (a pipe may be slow), then leave even if a keep-alive socket lingers.
process.stdout.write("", () => process.exit(code));
