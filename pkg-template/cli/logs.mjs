// `logs`: the delivery log, filtered, as a table or JSON; `logs --follow` prints new deliveries
// as they happen, each exactly once, until Ctrl+C.
import { setTimeout as sleep } from "node:timers/promises";
import { Trigger } from "../index.mjs";
import { JSON_OPTION, UsageError, didYouMean, parseCount, parseId, parseSeconds, parseTime } from "./args.mjs";
import { eventName, outcomeOf, recordJson } from "./deliveries.mjs";
import { localTime, statusWords } from "./output.mjs";

const PAGE = 100;

/** `--status` words and the outcomes they keep (see outcomeOf). */
const STATUS_WORDS = {
  "2xx": (r) => r.status >= 200 && r.status < 300,
  "3xx": (r) => r.status >= 300 && r.status < 400,
  "4xx": (r) => r.status >= 400 && r.status < 500,
  "5xx": (r) => r.status >= 500,
  "not-sent": (r) => outcomeOf(r) === "not-sent",
  pending: (r) => outcomeOf(r) === "pending",
  failed: (r) => ["failed", "not-sent"].includes(outcomeOf(r)),
  delivered: (r) => outcomeOf(r) === "delivered",
};

function parseStatuses(text) {
  const words = String(text)
    .split(",")
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
  if (words.length === 0) throw new UsageError(`--status needs a value such as 4xx,5xx,not-sent`);
  for (const word of words) {
    if (!STATUS_WORDS[word]) {
      throw new UsageError(
        `--status: unknown status ${JSON.stringify(word)}${didYouMean(word, Object.keys(STATUS_WORDS))} (known: ${Object.keys(STATUS_WORDS).join(", ")})`,
      );
    }
  }
  return (record) => words.some((word) => STATUS_WORDS[word](record));
}

/** `--event file.uploaded` or `FileUploaded`: one event's bit. */
export function parseEvent(text, flag = "--event") {
  const names = Object.keys(Trigger).filter((name) => name !== "All");
  let bit;
  try {
    bit = Trigger.mask(text);
  } catch {
    throw new UsageError(`${flag}: unknown event ${JSON.stringify(text)}${didYouMean(text, names)}`);
  }
  if (bit === 0 || Trigger.names(bit).length !== 1) throw new UsageError(`${flag} takes one event, such as file.uploaded or FileUploaded`);
  return bit;
}

/** The filters of `logs` (and of `retry --failed`, which shares --webhook and --since). */
export function logFilter(values, now = Date.now()) {
  const filter = {};
  if (values.webhook !== undefined) filter.configId = parseId(values.webhook, "--webhook");
  if (values.event !== undefined) filter.trigger = parseEvent(values.event);
  const since = values.since !== undefined ? parseTime(values.since, "--since", now) : null;
  const until = values.until !== undefined ? parseTime(values.until, "--until", now) : null;
  if (since && until && since > until) throw new UsageError("--since is after --until");
  const keep = values.status !== undefined ? parseStatuses(values.status) : () => true;
  return { filter, since, until, keep };
}

/**
 * Whether a record was created inside [since, until]. The portal's own date filter looks at the
 * delivery time, which failed deliveries do not have, so the window applies here.
 */
export const inWindow = (record, since, until) => {
  const at = Date.parse(record.creationTime);
  return (!since || at >= since.getTime()) && (!until || at <= until.getTime());
};

function printRecords(out, records) {
  const { style } = out;
  const shown = (record) => {
    const outcome = outcomeOf(record);
    if (outcome === "delivered") return style.green(statusWords(record.status));
    if (outcome === "pending") return style.yellow("pending");
    if (outcome === "not-sent") return style.red("not sent");
    return style.red(statusWords(record.status));
  };
  out.table(
    [
      { title: "ID", value: (r) => r.id, align: "right" },
      { title: "CREATED", value: (r) => localTime(r.creationTime) },
      { title: "WEBHOOK", value: (r) => r.configName ?? "" },
      { title: "EVENT", value: (r) => eventName(r) },
      { title: "STATUS", value: shown },
    ],
    records,
  );
}

/** One line per delivery for --follow (no header: lines arrive one by one). */
function followLine(out, record) {
  const { style } = out;
  const outcome = outcomeOf(record);
  const status =
    outcome === "delivered"
      ? style.green(statusWords(record.status))
      : outcome === "not-sent"
        ? style.red("not sent")
        : style.red(statusWords(record.status));
  const why = outcome === "delivered" ? "" : record.responsePayload ? style.dim(`  ${record.responsePayload}`) : "";
  const webhook = (record.configName ?? "").padEnd(16);
  return `${localTime(record.creationTime)}  ${String(record.id).padStart(6)}  ${eventName(record).padEnd(17)}  ${webhook}  ${status}${why}`;
}

const FILTER_OPTIONS = {
  webhook: { type: "string", value: "ID", help: "one webhook's deliveries" },
  status: { type: "string", value: "LIST", help: "only these outcomes: 2xx, 3xx, 4xx, 5xx, not-sent, failed, delivered, pending" },
  event: { type: "string", value: "NAME", help: "one event, e.g. file.uploaded or FileUploaded" },
  since: { type: "string", value: "TIME", help: "created since: 30m, 2h, 7d… ago, or an ISO time" },
  until: { type: "string", value: "TIME", help: "created until: a duration ago or an ISO time" },
};

export const logs = {
  name: "logs",
  summary: "show the delivery log, or follow it as deliveries happen",
  usage: "logs [--webhook ID] [--status LIST] [--event NAME] [--since TIME] [--until TIME] [--limit N] [--follow] [--json]",
  description:
    "Shows deliveries, newest first. Times are when the portal created the delivery.\n" +
    "\n" +
    "--follow prints each new delivery once, when its outcome is known (the portal retries a\n" +
    "failing one for about 31 s first), oldest first, until Ctrl+C. It polls the log and remembers\n" +
    "the newest id it has seen, so nothing is printed twice. With --json it prints one JSON\n" +
    "object per line.",
  options: {
    ...FILTER_OPTIONS,
    limit: { type: "string", value: "N", help: "at most N deliveries (default 25; not with --follow)" },
    follow: { type: "boolean", short: "f", help: "keep printing new deliveries until Ctrl+C" },
    interval: { type: "string", value: "SECONDS", help: "how often --follow polls (default 2)" },
    ...JSON_OPTION,
  },
  portal: true,
  stoppable: (values) => values.follow,
  examples: ["logs --status 4xx,5xx,not-sent --since 2h", "logs --webhook 7 --follow"],
  validate({ values }) {
    logFilter(values);
    if (values.limit !== undefined) parseCount(values.limit, "--limit");
    if (values.interval !== undefined) parseSeconds(values.interval, "--interval");
    if (values.follow && values.limit !== undefined) throw new UsageError("logs: --limit does not go with --follow");
    if (!values.follow && values.interval !== undefined) throw new UsageError("logs: --interval goes with --follow");
  },
  async run(context) {
    return context.values.follow ? follow(context) : show(context);
  },
};

async function show({ values, portal, out }) {
  const { filter, since, until, keep } = logFilter(values);
  const limit = values.limit !== undefined ? parseCount(values.limit, "--limit") : 25;
  const records = [];
  for await (const record of portal.client.webhooksLogs({ ...filter, count: PAGE })) {
    // Records come newest first: once they are older than --since, none after will match.
    if (since && Date.parse(record.creationTime) < since.getTime()) break;
    if (inWindow(record, since, until) && keep(record)) records.push(record);
    if (records.length >= limit) break;
  }
  if (values.json) return out.json(records.map(recordJson));
  if (records.length === 0) return out.err("No deliveries match.");
  printRecords(out, records);
}

/**
 * Polls the log newest first down to what it has already dealt with. A record still in flight
 * is held back until it settles; a printed id is never printed again. The status filter is
 * applied here, not by the portal, since a record's status changes as it settles.
 */
async function follow({ values, portal, out, signal }) {
  const { filter, since, until, keep } = logFilter(values);
  const interval = values.interval !== undefined ? parseSeconds(values.interval, "--interval") : 2;
  const { client } = portal;
  const first = await client.getWebhooksLogs({ ...filter, count: 1 });
  let newest = first.items[0]?.id ?? 0; // everything up to here existed before we started
  const waiting = new Set();
  out.err(out.errStyle.dim(`Following deliveries${filter.configId ? ` of webhook ${filter.configId}` : ""} (Ctrl+C to stop)…`));

  while (!signal.aborted) {
    const floor = waiting.size ? Math.min(...waiting) - 1 : newest;
    const fresh = new Map();
    for (let start = 0; ; start += PAGE) {
      const page = await client.getWebhooksLogs({ ...filter, count: PAGE, startIndex: start });
      for (const record of page.items) if (record.id > floor) fresh.set(record.id, record);
      const last = page.items.at(-1);
      if (page.items.length < PAGE || !last || last.id <= floor) break;
    }
    for (const record of [...fresh.values()].sort((a, b) => a.id - b.id)) {
      if (record.id <= newest && !waiting.has(record.id)) continue; // dealt with already
      newest = Math.max(newest, record.id);
      if (outcomeOf(record) === "pending") {
        waiting.add(record.id);
        continue;
      }
      waiting.delete(record.id);
      if (!inWindow(record, since, until) || !keep(record)) continue;
      if (values.json) out.jsonLine(recordJson(record));
      else out.line(followLine(out, record));
    }
    // A waiting record that vanished (its webhook was deleted) stops holding the floor down.
    for (const id of waiting) if (!fresh.has(id)) waiting.delete(id);
    await sleep(interval * 1000, undefined, { signal }).catch(() => {});
  }
  return 0;
}
