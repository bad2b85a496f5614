// Flags and help: each command declares its options once (name, type, value name, help line)
// and gets node:util's strict parseArgs, a --help page with an example, and usage errors that
// name the bad flag and suggest the closest known one.
import { parseArgs } from "node:util";

export const PROGRAM = "docspace-webhooks";

/** A mistake in the command line itself: exit code 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
}

/** The flags of every command that talks to a portal. */
const PORTAL_OPTIONS = {
  portal: { type: "string", value: "URL", help: "the portal's address (default: $DOCSPACE_URL)" },
  token: { type: "string", value: "TOKEN", help: "an API key or personal access token (default: $DOCSPACE_TOKEN); never printed" },
  verbose: { type: "boolean", help: "show each request's method, URL, status and time on stderr" },
};
export const JSON_OPTION = { json: { type: "boolean", help: "print JSON (a stable shape) instead of a table" } };
const HELP_OPTION = { help: { type: "boolean", short: "h", help: "show this help" } };

/** Levenshtein distance, for "did you mean". */
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate, if it is close enough to be a typo of `word`. */
export function closest(word, candidates) {
  const lower = word.toLowerCase();
  let best = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

export const didYouMean = (word, candidates) => {
  const match = closest(word, candidates);
  return match ? `; did you mean ${match}?` : "";
};

/** All options of a command: its own, the portal ones if it talks to one, and --help. */
function optionsOf(command) {
  return { ...command.options, ...(command.portal ? PORTAL_OPTIONS : {}), ...HELP_OPTION };
}

/**
 * Parses `argv` for `command`: `{ values, positionals }`. Throws UsageError naming the flag that
 * is unknown, lacks its value, or takes none; checks the number of positionals.
 */
export function parseCommand(command, argv) {
  const options = optionsOf(command);
  const spec = Object.fromEntries(
    Object.entries(options).map(([name, option]) => [name, { type: option.type, ...(option.short ? { short: option.short } : {}) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${command.name}: ${explainParseError(error, Object.keys(options))}`);
  }
  const { values, positionals } = parsed;
  const [min, max] = command.positionals?.count ?? [0, 0];
  if (positionals.length < min) throw new UsageError(`${command.name}: missing ${command.positionals.name}`);
  if (positionals.length > max) {
    const extra = positionals[max];
    const hint = extra.startsWith("-") ? "" : max === 0 ? ` (${command.name} takes no arguments)` : "";
    throw new UsageError(`${command.name}: unexpected argument ${JSON.stringify(extra)}${hint}`);
  }
  return { values, positionals };
}

function explainParseError(error, names) {
  const message = String(error?.message ?? error);
  const flag = message.match(/'(--?[\w-]+)/)?.[1] ?? "";
  switch (error?.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const match = closest(flag.replace(/^-+/, ""), names);
      return `unknown flag ${flag}${match ? `; did you mean --${match}?` : ""}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return message.includes("argument missing") ? `${flag} needs a value` : `${flag} takes no value`;
    default:
      return message.split("\n")[0];
  }
}

/** The --help page of a command. */
export function helpOf(command) {
  const options = optionsOf(command);
  const rows = Object.entries(options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : "";
    const value = option.type === "string" ? ` <${option.value ?? "value"}>` : "";
    return [`  ${short}--${name}${value}`, option.help];
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = [
    `Usage: ${PROGRAM} ${command.usage}`,
    "",
    ...command.description.split("\n"),
    "",
    "Options:",
    ...rows.map(([left, help]) => left.padEnd(width) + help),
    "",
    command.examples.length > 1 ? "Examples:" : "Example:",
    ...command.examples.map((example) => `  $ ${PROGRAM} ${example}`),
  ];
  return lines.join("\n") + "\n";
}

// Values -------------------------------------------------------------------------------------

/** A webhook or log id: a positive whole number. */
export function parseId(text, what) {
  if (!/^\d{1,10}$/.test(String(text)) || Number(text) < 1 || Number(text) > 2 ** 31 - 1) {
    throw new UsageError(`${what} must be a positive whole number, got ${JSON.stringify(String(text))}`);
  }
  return Number(text);
}

/** A count such as --limit: a whole number from `min`. */
export function parseCount(text, flag, min = 1) {
  if (!/^\d+$/.test(String(text)) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(String(text))}`);
  }
  return Number(text);
}

/** Seconds, possibly fractional, such as --interval. */
export function parseSeconds(text, flag) {
  const seconds = Number(text);
  if (String(text).trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} must be a number of seconds > 0, got ${JSON.stringify(String(text))}`);
  }
  return seconds;
}

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since 2h` (a duration back from `now`: s, m, h, d, w) or an ISO-8601 time. */
export function parseTime(text, flag, now = Date.now()) {
  const relative = String(text).match(/^(\d+(?:\.\d+)?)([smhdw])$/);
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]]);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    // A time without an offset is UTC, as in the client's log filter.
    const iso = /T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes("T") ? text : `${text}Z`;
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(
    `${flag} must be a duration such as 30m, 2h, 7d or an ISO time such as 2026-06-30T10:00:00Z, got ${JSON.stringify(text)}`,
  );
}

/** Requires a flag (`--name`): its value, or a UsageError naming it. */
export function required(values, name, command, example) {
  const value = values[name];
  if (value === undefined || value === "")
    throw new UsageError(`${command}: --${name} is required${example ? ` (e.g. --${name} ${example})` : ""}`);
  return value;
}
