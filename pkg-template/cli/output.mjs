// Everything the command line writes goes through here: colour (only on a terminal, never with
// NO_COLOR), aligned tables, JSON, the progress bar, and the redaction of the token, which must
// not reach a terminal or a log even when a server or a user echoes it back.
import { STATUS_CODES } from "node:http";

const ANSI = /\x1b\[[0-9;]*m/g;
const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] };

/** Whether to colour a stream: a terminal, and NO_COLOR unset or empty (https://no-color.org). */
function wantsColor(stream, env) {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** The length a terminal shows (colour codes take no room). */
const visibleLength = (text) => String(text).replace(ANSI, "").length;

export function createOutput({ stdout = process.stdout, stderr = process.stderr, env = process.env } = {}) {
  const secrets = [];
  const redact = (text) => secrets.reduce((result, secret) => result.split(secret).join("[redacted]"), String(text));
  const painter = (enabled) =>
    Object.fromEntries(
      Object.entries(CODES).map(([name, [on, off]]) => [name, (text) => (enabled ? `\x1b[${on}m${text}\x1b[${off}m` : String(text))]),
    );

  const out = {
    /** Styles for stdout text; plain strings when stdout is not a colour terminal. */
    style: painter(wantsColor(stdout, env)),
    /** Styles for stderr text. */
    errStyle: painter(wantsColor(stderr, env)),
    stdout,
    stderr,
    /** Never print this string (the token): it becomes "[redacted]" wherever it appears. */
    hide(secret) {
      if (typeof secret === "string" && secret.length >= 4) secrets.push(secret);
    },
    line(text = "") {
      stdout.write(`${redact(text)}\n`);
    },
    err(text = "") {
      stderr.write(`${redact(text)}\n`);
    },
    /** Pretty JSON: the stable, documented shapes of `--json`. */
    json(value) {
      stdout.write(`${redact(JSON.stringify(value, null, 2))}\n`);
    },
    /** One JSON document per line, for streams (`logs --follow --json`, `listen --json`). */
    jsonLine(value) {
      stdout.write(`${redact(JSON.stringify(value))}\n`);
    },
    table(columns, rows) {
      for (const line of formatTable(columns, rows)) out.line(line);
    },
    progress(total, label) {
      return createProgress(stderr, total, label, redact);
    },
  };
  return out;
}

/**
 * Aligned columns: `columns` are `{ title, value(row), align? }`; a header row, then one line per
 * row, two spaces between columns, no trailing blanks.
 */
function formatTable(columns, rows) {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? "")));
  const widths = columns.map((column, index) => Math.max(column.title.length, ...cells.map((line) => visibleLength(line[index]))));
  const pad = (text, index) => {
    const room = widths[index] - visibleLength(text);
    return columns[index].align === "right" ? " ".repeat(room) + text : text + " ".repeat(room);
  };
  const render = (line) => line.map(pad).join("  ").replace(/\s+$/, "");
  return [render(columns.map((column) => column.title)), ...cells.map(render)];
}

/**
 * A one-line bar on stderr, redrawn in place; nothing at all when stderr is not a terminal
 * (the final summary says it all there). `note` shows a passing state, e.g. a rate-limit wait.
 */
function createProgress(stream, total, label, redact) {
  const active = Boolean(stream.isTTY);
  let done = 0;
  let note = "";
  const draw = () => {
    if (!active) return;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    stream.write(`\r\x1b[2K[${bar}] ${done}/${total} ${label}${note ? ` · ${redact(note)}` : ""}`);
  };
  draw();
  return {
    advance(count) {
      done += count;
      draw();
    },
    note(text) {
      note = text;
      draw();
    },
    end() {
      if (active) stream.write("\r\x1b[2K");
    },
  };
}

/** "200 OK", "503 Service Unavailable", "never delivered" for 0. */
export function statusWords(status) {
  if (!status) return "never delivered";
  const words = STATUS_CODES[status];
  return words ? `${status} ${words}` : String(status);
}

/** Compact id lists: 3, 5–9, 12 (sorted; runs of consecutive ids shortened). */
export function idRanges(ids) {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(", "));
    i = j;
  }
  return parts.join(", ");
}

/** A local wall-clock time, `2026-06-30 10:13:11`, for people; JSON keeps the ISO strings. */
export function localTime(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value ?? "");
  const two = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
