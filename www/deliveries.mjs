// Reading the delivery log the way a person asks about it. The API's deliveryFrom/deliveryTo
// filter on delivery time, which only successful rows have (contract §5.6), so a time range
// would hide every failure. Instead this pages through the log newest first (ids grow with creation time) and
// keeps the rows *created* in the range, stopping at the first older row. It also reads what
// the payload says about attempts and redeliveries, and counts rows into time buckets.
import { isFailed, isPending, outcomeOf, OUTCOMES } from "./ui.mjs";

const PAGE_SIZE = 100;

/** Reads matching rows in pages, on demand: `await reader.read(n)` gives up to n more. */
export class LogReader {
  /** `filter`: the API's own filter (configId, groupStatus, trigger); `from`/`to`: creation-time bounds in ms. */
  constructor(client, filter, { from = null, to = null, signal } = {}) {
    this.iterator = client.webhooksLogs({ ...filter, count: PAGE_SIZE }, { signal });
    this.from = from;
    this.to = to;
    this.done = false;
    this.rows = [];
  }

  async read(wanted) {
    const found = [];
    while (!this.done && found.length < wanted) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const created = Date.parse(next.value.creationTime);
      if (this.to !== null && created > this.to) continue;
      if (this.from !== null && created < this.from) {
        this.done = true; // everything further down is older still
        await this.iterator.return?.();
        break;
      }
      found.push(next.value);
    }
    this.rows.push(...found);
    return found;
  }
}

// ---- what a row's payload tells ----

const payloads = new WeakMap();

/** The row's request body, parsed once (null when it is not JSON). */
export function payloadOf(row) {
  if (!payloads.has(row)) {
    let parsed = null;
    try {
      parsed = JSON.parse(row.requestPayload ?? "null");
    } catch {
      parsed = null;
    }
    payloads.set(row, parsed);
  }
  return payloads.get(row);
}

/**
 * How many attempts the portal made and when the last one was: a delivered row has its
 * delivery time; a failed one's last attempt carries `webhook.retryCount`/`retryOn` (contract
 * §8.4; the first attempt follows the row's creation at once).
 */
export function attemptsOf(row) {
  const webhook = payloadOf(row)?.webhook ?? {};
  const count = (Number(webhook.retryCount) || 0) + 1;
  if (isPending(row)) return { count: webhook.retryCount ? count : 0, last: webhook.retryOn ?? null };
  return { count, last: row.delivery ?? webhook.retryOn ?? row.creationTime };
}

/** Rows of one event share its creation time, author, type and data; a redelivery copies them (contract §5.7). */
export function eventKey(row) {
  const payload = payloadOf(row);
  if (!payload?.event) return `row:${row.id}`;
  const { createOn, createBy, trigger } = payload.event;
  return JSON.stringify([createOn, createBy, trigger ?? row.trigger, payload.payload ?? null]);
}

const REMEMBERED = "docspace-redeliveries";

/** Notes that `copy` redelivers `original` (retries made in this tab are known for sure). */
export function rememberRedelivery(copy, original) {
  const known = JSON.parse(sessionStorage.getItem(REMEMBERED) ?? "{}");
  known[copy] = original;
  sessionStorage.setItem(REMEMBERED, JSON.stringify(known));
}

/**
 * row id → the id of the delivery it redelivers, for the redeliveries among `rows`: retried from
 * this tab, or still carrying the original's event.id (a copy not sent yet), or a later row of
 * an event whose first row is also shown.
 */
export function redeliveries(rows) {
  const known = JSON.parse(sessionStorage.getItem(REMEMBERED) ?? "{}");
  const first = new Map();
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const key = eventKey(row);
    if (!first.has(key)) first.set(key, row.id);
  }
  const result = new Map();
  for (const row of rows) {
    const sentAs = Number(payloadOf(row)?.event?.id);
    const original = known[row.id] ?? (sentAs && sentAs !== row.id ? sentAs : null) ?? first.get(eventKey(row));
    if (original && original !== row.id) result.set(row.id, original);
  }
  return result;
}

/** The newest row of every event among `rows`: the one that says how the event ended. */
export function latestPerEvent(rows) {
  const latest = new Map();
  for (const row of rows) {
    const key = eventKey(row);
    if (!latest.has(key) || latest.get(key).id < row.id) latest.set(key, row);
  }
  return [...latest.values()];
}

/** Failed rows worth retrying: the latest delivery of each event, when that one failed. */
export const retryCandidates = (rows) => latestPerEvent(rows).filter(isFailed);

// ---- counting over time ----

const MINUTE = 60e3;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];

/** A bucket size that cuts `span` ms into at most `most` bars. */
export const stepFor = (span, most = 30) => STEPS.find((step) => span / step <= most) ?? STEPS.at(-1);

/**
 * Counts rows per outcome in buckets of `step` ms from `from` to `to` (creation time). Buckets
 * are aligned to whole steps (in local time for days), so bars read "14:00", "15:00".
 */
export function tally(rows, { from, to, step }) {
  const offset = step >= DAY ? new Date(from).getTimezoneOffset() * MINUTE : 0;
  const start = Math.floor((from - offset) / step) * step + offset;
  const buckets = [];
  for (let at = start; at < to; at += step) buckets.push({ start: at, end: at + step, counts: emptyCounts() });
  const totals = emptyCounts();
  for (const row of rows) {
    const created = Date.parse(row.creationTime);
    const bucket = buckets[Math.floor((created - start) / step)];
    if (!bucket) continue;
    const outcome = outcomeOf(row.status);
    bucket.counts[outcome]++;
    totals[outcome]++;
  }
  return { buckets, totals, step };
}

const emptyCounts = () => Object.fromEntries(OUTCOMES.map(({ key }) => [key, 0]));

export const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
