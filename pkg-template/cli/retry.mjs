// `retry ID...` and `retry --failed`: redelivery in batches, waiting out the portal's rate limit
// (429 + Retry-After) instead of failing, with a progress bar on a terminal and a summary.
import { setTimeout as sleep } from "node:timers/promises";
import { DocSpaceError } from "../index.mjs";
import { JSON_OPTION, UsageError, parseCount, parseId } from "./args.mjs";
import { copiedFrom, eventKey, isFailure, outcomeOf } from "./deliveries.mjs";
import { inWindow, logFilter } from "./logs.mjs";
import { idRanges } from "./output.mjs";

const DEFAULT_BATCH = 100;
/** When the portal gives no Retry-After with its 429. */
const DEFAULT_WAIT_S = 60;

/**
 * What `retry --failed` redelivers. Every record of the log (of one webhook with --webhook) is
 * grouped by the event it carries (eventKey: redeliveries share their original's key); per event:
 * - some record was delivered (2xx): skip, it arrived — typically a redelivery that succeeded;
 * - some record is still pending: skip, a delivery of it is under way;
 * - otherwise redeliver the newest failed record once (with --since: if it was created since).
 * So a failure is never redelivered twice, by one run or by a later one.
 */
export function planRedelivery(records, since = null) {
  const events = new Map();
  for (const record of records) {
    const key = eventKey(record);
    if (!events.has(key)) events.set(key, []);
    events.get(key).push(record);
  }
  const redeliver = [];
  const skipped = [];
  for (const group of events.values()) {
    const failures = group.filter(isFailure).sort((a, b) => b.id - a.id);
    if (failures.length === 0) continue;
    const delivered = group.find((record) => outcomeOf(record) === "delivered");
    const pending = group.find((record) => outcomeOf(record) === "pending");
    if (delivered || pending) {
      const reason = delivered ? `delivered by ${delivered.id}` : `being delivered by ${pending.id}`;
      for (const record of failures) if (inWindow(record, since, null)) skipped.push({ id: record.id, reason });
      continue;
    }
    const [newest, ...older] = failures;
    if (!inWindow(newest, since, null)) continue;
    redeliver.push(newest.id);
    for (const record of older) skipped.push({ id: record.id, reason: `superseded by ${newest.id}` });
  }
  redeliver.sort((a, b) => a - b);
  skipped.sort((a, b) => a.id - b.id);
  return { redeliver, skipped };
}

/**
 * Redelivers `ids` in batches through PUT settings/webhook/retry. A 429 is waited out (its
 * Retry-After, then the same batch again); any other error stops the run, and the ids not done
 * are reported as failed with it. Ctrl+C (the signal) stops between batches.
 */
async function redeliver(client, ids, { batchSize, out, signal }) {
  const redelivered = [];
  const failed = [];
  let waits = 0;
  const bar = out.progress(ids.length, "redelivered");
  let index = 0;
  try {
    while (index < ids.length && !signal.aborted) {
      const batch = ids.slice(index, index + batchSize);
      let created;
      try {
        created = await client.retryWebhooks(batch);
      } catch (error) {
        if (error instanceof DocSpaceError && error.status === 429) {
          const seconds = Math.max(error.retryAfter ?? DEFAULT_WAIT_S, 0);
          waits += 1;
          const note = `rate limited by the portal: waiting ${seconds} s (Retry-After)`;
          if (out.stderr.isTTY) bar.note(note);
          else out.err(note);
          await sleep(seconds * 1000, undefined, { signal }).catch(() => {});
          bar.note("");
          continue;
        }
        for (const id of ids.slice(index)) failed.push({ id, error: describeError(error) });
        index = ids.length;
        break;
      }
      redelivered.push(...matchCopies(batch, created));
      const answered = new Set(redelivered.map((entry) => entry.id));
      for (const id of batch) if (!answered.has(id)) failed.push({ id, error: "the portal skipped it (deleted, or not the token user's)" });
      index += batch.length;
      bar.advance(batch.length);
    }
  } finally {
    bar.end();
  }
  const notTried = signal.aborted ? ids.slice(index) : [];
  return { redelivered, failed, waits, notTried };
}

/**
 * Pairs each requested id with the new record made for it. The new record's body is the old
 * one's verbatim, `event.id` included, until the portal sends it; order is the fallback.
 */
function matchCopies(batch, created) {
  const wanted = new Set(batch);
  const pairs = [];
  const unmatched = [];
  for (const record of created) {
    const from = copiedFrom(record);
    if (wanted.has(from)) {
      pairs.push({ id: from, newId: record.id });
      wanted.delete(from);
    } else unmatched.push(record);
  }
  const left = batch.filter((id) => wanted.has(id));
  unmatched.forEach((record, i) => left[i] !== undefined && pairs.push({ id: left[i], newId: record.id }));
  return pairs;
}

const describeError = (error) =>
  error instanceof DocSpaceError
    ? `${error.message} (${[error.kind, error.status].filter((x) => x !== undefined).join(" ")})`
    : String(error?.message ?? error);

function printSummary(out, { redelivered, skipped, failed, notTried, waits, dryRun }) {
  const { style } = out;
  if (dryRun) {
    out.line(`Would redeliver ${redelivered.length}${redelivered.length ? `: ${idRanges(redelivered.map((e) => e.id))}` : ""}`);
  } else {
    out.line(style.green(`Redelivered ${redelivered.length}${redelivered.length ? `: ${idRanges(redelivered.map((e) => e.id))}` : ""}`));
    if (redelivered.length) out.line(`  new deliveries: ${idRanges(redelivered.map((e) => e.newId))}`);
  }
  out.line(`Skipped ${skipped.length}${skipped.length ? ":" : ""}`);
  for (const { id, reason } of skipped.slice(0, 20)) out.line(`  ${id}: ${reason}`);
  if (skipped.length > 20) out.line(`  … and ${skipped.length - 20} more (--json lists them all)`);
  const failedLine = `Failed ${failed.length}${failed.length ? ":" : ""}`;
  out.line(failed.length ? style.red(failedLine) : failedLine);
  for (const { id, error } of failed.slice(0, 20)) out.line(`  ${id}: ${error}`);
  if (failed.length > 20) out.line(`  … and ${failed.length - 20} more (--json lists them all)`);
  if (notTried.length) out.line(style.yellow(`Interrupted: not tried ${notTried.length}: ${idRanges(notTried)}`));
  if (waits) out.line(style.dim(`(waited out the portal's rate limit ${waits} time${waits === 1 ? "" : "s"})`));
}

export const retry = {
  name: "retry",
  summary: "redeliver deliveries: by id, or every failed one",
  usage: "retry ID... | retry --failed [--webhook ID] [--since TIME] [--dry-run] [--batch-size N] [--json]",
  description:
    "Redelivers deliveries: the portal sends each again as a new delivery with a new id.\n" +
    "\n" +
    "--failed finds the deliveries that failed and were not delivered since: the portal keeps a\n" +
    "redelivery's event time, author, event and payload, so deliveries that share all of them are\n" +
    "one event. An event that reached the receiver (by a later redelivery) or is still being sent\n" +
    "is skipped; of an event that only failed, the newest attempt is redelivered, once. Running it\n" +
    "again therefore never sends anything twice.\n" +
    "\n" +
    "Ids go to the portal in batches; when it answers 429 (its rate limit on redelivery), the\n" +
    "command waits as long as its Retry-After says and carries on. It ends with a summary:\n" +
    "redelivered (old → new ids), skipped (and why), failed.",
  options: {
    failed: { type: "boolean", help: "redeliver every failed delivery not delivered since" },
    webhook: { type: "string", value: "ID", help: "with --failed: one webhook's deliveries" },
    since: { type: "string", value: "TIME", help: "with --failed: failures since 30m, 2h, 7d… ago, or an ISO time" },
    "dry-run": { type: "boolean", help: "show what would be redelivered, change nothing" },
    "batch-size": { type: "string", value: "N", help: `ids per request (default ${DEFAULT_BATCH})` },
    ...JSON_OPTION,
  },
  positionals: { name: "ID (a delivery's id, see `logs`) or --failed", count: [0, Infinity] },
  portal: true,
  stoppable: () => true,
  examples: ["retry 1234 1235", "retry --failed --since 2h --dry-run", "retry --failed --webhook 7"],
  validate({ values, positionals }) {
    if (values.failed && positionals.length) throw new UsageError("retry: give ids or --failed, not both");
    if (!values.failed && positionals.length === 0) throw new UsageError("retry: give the ids to redeliver, or --failed");
    if (!values.failed) {
      for (const flag of ["webhook", "since"]) if (values[flag] !== undefined) throw new UsageError(`retry: --${flag} goes with --failed`);
    }
    positionals.forEach((id) => parseId(id, "retry: ID"));
    logFilter({ webhook: values.webhook, since: values.since });
    if (values["batch-size"] !== undefined) parseCount(values["batch-size"], "--batch-size");
  },
  async run({ values, positionals, portal, out, signal }) {
    const batchSize = values["batch-size"] !== undefined ? parseCount(values["batch-size"], "--batch-size") : DEFAULT_BATCH;
    let ids;
    let skipped = [];
    if (values.failed) {
      const { filter, since } = logFilter({ webhook: values.webhook, since: values.since });
      // By id: paging while deliveries go on can show a record twice.
      const records = new Map();
      for await (const record of portal.client.webhooksLogs({ ...filter, count: 100 })) records.set(record.id, record);
      ({ redeliver: ids, skipped } = planRedelivery(records.values(), since));
    } else {
      ids = [...new Set(positionals.map((id) => parseId(id, "retry: ID")))];
    }
    const result = values["dry-run"]
      ? { redelivered: ids.map((id) => ({ id, newId: null })), failed: [], waits: 0, notTried: [] }
      : await redeliver(portal.client, ids, { batchSize, out, signal });
    const summary = { ...result, skipped, dryRun: Boolean(values["dry-run"]) };
    if (values.json) {
      const { redelivered, failed, notTried, waits, dryRun } = summary;
      out.json({ dryRun, redelivered, skipped, failed, notTried, rateLimitWaits: waits });
    } else printSummary(out, summary);
    if (signal.aborted) return 130;
    return result.failed.length ? 1 : 0;
  },
};
