// What the command line reads out of a delivery-log record: its outcome, its delivered body, the
// stable JSON shape `logs --json` prints, and the key that ties a redelivery to its original.
import { createHash } from "node:crypto";
import { Trigger } from "../index.mjs";

/**
 * How a record ended:
 * - "delivered": a 2xx answer;
 * - "failed": an HTTP answer outside 2xx after the portal's own retries (3xx counts: it does not follow redirects);
 * - "not-sent": no HTTP answer (status 0 with the error in responsePayload);
 * - "pending": not finished yet (status 0, nothing recorded): the portal is still trying.
 */
export function outcomeOf(record) {
  const status = record.status ?? 0;
  if (status >= 200 && status < 300) return "delivered";
  if (status !== 0) return "failed";
  return record.responsePayload || record.delivery ? "not-sent" : "pending";
}

export const isFailure = (record) => ["failed", "not-sent"].includes(outcomeOf(record));

/** The delivered body, parsed; null when it is not JSON. */
function bodyOf(record) {
  try {
    const body = JSON.parse(record.requestPayload ?? "");
    return body && typeof body === "object" ? body : null;
  } catch {
    return null;
  }
}

/** The dotted event name of a record's trigger bit. */
export function eventName(record, body = bodyOf(record)) {
  const names = record.trigger ? Trigger.names(record.trigger) : [];
  return body?.event?.trigger ?? (names.length === 1 ? dotted(names[0]) : String(record.trigger ?? "?"));
}

/** "FileUploaded" → "file.uploaded", through the portal's own table when it has the name. */
export function dotted(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1.$2").toLowerCase();
}

/** `logs --json`: one record. Every key is always present (null when unknown), in this order. */
export function recordJson(record) {
  const body = bodyOf(record);
  return {
    id: record.id,
    webhookId: body?.webhook?.id ?? null,
    webhookName: record.configName ?? body?.webhook?.name ?? null,
    event: eventName(record, body),
    triggerId: record.trigger ?? null,
    outcome: outcomeOf(record),
    status: record.status ?? 0,
    createdAt: record.creationTime ?? null,
    deliveredAt: record.delivery ?? null,
    eventCreatedAt: body?.event?.createOn ?? null,
    response: record.responsePayload ?? null,
    payload: body ?? record.requestPayload ?? null,
  };
}

/** Key order does not matter to JSON, so it must not matter to the key. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The event a record delivers, the same for the original delivery and every redelivery of it.
 *
 * A redelivery (both retry endpoints) is a NEW log record whose body is the original's stored
 * body, except that the portal sets `event.id` to the new record's id and resets the
 * `webhook.retry*` / `lastFailure*` / `lastSuccessOn` fields on sending. What it keeps is the
 * event itself: `event.createOn` (the original time, to the second), `event.createBy`, the
 * trigger, the webhook id and the whole `payload`. Those together are the key.
 *
 * Two records share a key only if the same user's same event reached the same webhook in the
 * same second with an identical payload: such deliveries are indistinguishable to a receiver
 * (bar the id), so treating them as one event is the safe reading. A record whose body is not
 * a delivery envelope gets a key of its own and is never grouped.
 */
export function eventKey(record, body = bodyOf(record)) {
  const event = body?.event;
  if (!event || typeof event.createOn !== "string" || !("payload" in body)) return `record:${record.id}`;
  const identity = canonical([
    body.webhook?.id ?? null,
    record.trigger ?? event.triggerId ?? event.trigger,
    event.createOn,
    event.createBy ?? null,
    body.payload,
  ]);
  return createHash("sha256").update(identity).digest("hex");
}

/** The id of the record a fresh redelivery copies, from its body (the portal copies it verbatim). */
export const copiedFrom = (record) => bodyOf(record)?.event?.id ?? null;
