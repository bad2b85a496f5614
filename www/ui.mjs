// DOM helpers for the demo page. Everything is built with createElement and textContent:
// no innerHTML anywhere, so a receiver's body or a webhook name can never become markup.

/** h("button", { class: "x", onclick }, "text", child) → an element. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  element.append(...present(children).map((child) => (child instanceof Node ? child : String(child))));
  return element;
}

const present = (children) => children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false);

/** element.replaceChildren, skipping null/false children (which the DOM would print as text). */
export function fill(element, ...children) {
  element.replaceChildren(...present(children));
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** "1 delivery", "3 deliveries". */
export const plural = (count, one, many) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

// ---- delivery outcomes ----

/** The log's outcome classes, as the server's group-status filter names them. */
export const OUTCOMES = [
  { key: "Status2xx", label: "2xx", name: "delivered (2xx)" },
  { key: "Status3xx", label: "3xx", name: "redirected (3xx)" },
  { key: "Status4xx", label: "4xx", name: "refused (4xx)" },
  { key: "Status5xx", label: "5xx", name: "failed (5xx)" },
  { key: "NotSent", label: "Not sent", name: "not sent (no HTTP answer)" },
];

/** The outcome class of a log row's status, as the server's filter classifies it. */
export function outcomeOf(status) {
  if (status >= 200 && status < 300) return "Status2xx";
  if (status >= 300 && status < 400) return "Status3xx";
  if (status >= 400 && status < 500) return "Status4xx";
  if (status >= 500) return "Status5xx";
  return "NotSent";
}

/** A row still waiting for its first answer: status 0 and no error recorded yet. */
export const isPending = (row) => row.status === 0 && !row.responsePayload;

/** Whether a row is a finished failure (what "Retry" is for). */
export const isFailed = (row) => !isPending(row) && outcomeOf(row.status) !== "Status2xx";

/** The status badge: 2xx green, an HTTP failure red, "Not sent" (no HTTP answer) dashed, pending muted. */
export function statusBadge(status, { pending = false, title } = {}) {
  if (pending) return h("span", { class: "badge pending", title: title ?? "Being delivered: the portal is still trying" }, "Pending");
  if (!status) return h("span", { class: "badge never", title: title ?? "No HTTP answer (or never sent)" }, "Not sent");
  const ok = status >= 200 && status < 300;
  return h("span", { class: `badge ${ok ? "ok" : "failed"}`, title: title ?? (ok ? "Delivered" : "Failed") }, String(status));
}

// ---- times ----

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const compact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function relativeText(at) {
  const seconds = Math.round((at - Date.now()) / 1000);
  const [value, unit] =
    Math.abs(seconds) < 60
      ? [seconds, "second"]
      : Math.abs(seconds) < 3600
        ? [Math.round(seconds / 60), "minute"]
        : Math.abs(seconds) < 86400
          ? [Math.round(seconds / 3600), "hour"]
          : [Math.round(seconds / 86400), "day"];
  return relative.format(value, unit);
}

/** "3 minutes ago", with the absolute time as its tooltip; kept current by tickRelativeTimes(). */
export function timeAgo(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return h("span", {}, iso);
  return h("time", { datetime: at.toISOString(), title: absolute.format(at), "data-relative": "" }, relativeText(at.getTime()));
}

/** Brings every "… ago" on the page up to date (called on a timer, so times never freeze). */
export function tickRelativeTimes() {
  for (const element of $$("time[data-relative]")) element.textContent = relativeText(Date.parse(element.dateTime));
}

export const formatAbsolute = (iso) => (iso ? absolute.format(new Date(iso)) : "—");
/** A date-time without seconds: "7 Dec 2026, 14:05". */
export const formatCompact = (date) => compact.format(date);

// ---- text ----

/** The host of a URL, emphasised, and a path shortened in the middle; the whole URL on hover and focus. */
export function urlCell(uri) {
  let host = uri;
  let rest = "";
  try {
    const url = new URL(uri);
    host = url.host;
    rest = url.pathname + url.search === "/" ? "" : url.pathname + url.search;
  } catch {
    // Not a URL: shown as it is.
  }
  const short = rest.length > 28 ? `${rest.slice(0, 12)}…${rest.slice(-14)}` : rest;
  return h(
    "span",
    { class: "url", tabindex: "0", title: uri, "data-full": uri },
    h("span", { "aria-hidden": "true" }, h("strong", {}, host), short),
    h("span", { class: "sr-only" }, uri),
  );
}

/** The log's header JSON (`{"Name":["v1","v2"]}`) as HTTP writes them: one `Name: value` line each. */
export function headerLines(json) {
  if (!json) return "";
  let headers;
  try {
    headers = JSON.parse(json);
  } catch {
    return json;
  }
  if (!headers || typeof headers !== "object") return json;
  return Object.entries(headers)
    .flatMap(([name, values]) => [values].flat().map((value) => `${name}: ${value}`))
    .join("\n");
}

// ---- form fields ----

/** A labelled input with its help and error lines, wired for screen readers: { element, input, error }. */
export function field(id, label, input, help) {
  const error = h("p", { class: "field-error", id: `${id}-error`, role: "alert" });
  input.id = id;
  input.setAttribute("aria-describedby", `${id}-error${help ? ` ${id}-help` : ""}`);
  return {
    element: h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      input,
      help ? h("p", { class: "help", id: `${id}-help` }, help) : null,
      error,
    ),
    error,
    input,
  };
}

/** Shows (or, with no message, clears) a field's error. */
export function setError(entry, message) {
  entry.error.textContent = message ?? "";
  entry.input.setAttribute("aria-invalid", message ? "true" : "false");
}

/** A skeleton block while something loads. */
export const skeleton = (lines = 3) =>
  h(
    "div",
    { class: "skeleton", "aria-busy": "true", "aria-label": "Loading" },
    Array.from({ length: lines }, () => h("div", { class: "bar" })),
  );
