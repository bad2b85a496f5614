// The history's filters: what the query string says (so a filtered view can be bookmarked),
// the labelled controls, the removable chips, and an empty-result message that names the
// filters actually set. The time range applies to when a delivery was *created*: failed ones
// have no delivery time, and the question is usually "what failed lately".
import { Trigger } from "/pkg/browser.mjs";
import { DAY, HOUR } from "./deliveries.mjs";
import { triggerLabel } from "./state.mjs";
import { formatCompact, h, OUTCOMES } from "./ui.mjs";

/** range=… → [option text, phrase, span in ms] */
export const PRESETS = {
  "1h": ["Last hour", "the last hour", HOUR],
  "24h": ["Last 24 hours", "the last 24 hours", DAY],
  "7d": ["Last 7 days", "the last 7 days", 7 * DAY],
};
export const NO_FILTERS = { status: undefined, range: undefined, from: undefined, to: undefined, trigger: undefined };

/** The statuses chosen in the query string, as the server's group-status names. */
export const statusesOf = (params) => (params.status ?? "").split(",").filter((s) => OUTCOMES.some(({ key }) => key === s));

/** The trigger chosen, when it is one the package knows. */
export const triggerOf = (params) => (params.trigger && params.trigger in Trigger && params.trigger !== "All" ? params.trigger : null);

/** The creation-time range of the query string: { from, to } in ms (either may be null) and how to say it; null for any time. */
export function rangeOf(params, now = Date.now()) {
  if (params.range in PRESETS) {
    const [, phrase, span] = PRESETS[params.range];
    return { from: now - span, to: null, phrase: `in ${phrase}`, chip: `Created in ${phrase}` };
  }
  if (params.range !== "custom") return null;
  const at = (value) => {
    const time = value ? new Date(value).getTime() : NaN;
    return Number.isNaN(time) ? null : time;
  };
  const [from, to] = [at(params.from), at(params.to)];
  if (from === null && to === null) return null;
  const shown = (time) => (time === null ? "…" : formatCompact(new Date(time)));
  const phrase = from === null ? `before ${shown(to)}` : to === null ? `since ${shown(from)}` : `between ${shown(from)} and ${shown(to)}`;
  return { from, to, phrase, chip: `Created ${from !== null && to !== null ? `${shown(from)} – ${shown(to)}` : phrase}` };
}

/** The API's own filter for the query string (status and event); the time range is applied on creation time by the reader. */
export function apiFilter(webhookId, params) {
  const filter = { configId: webhookId };
  const statuses = statusesOf(params);
  if (statuses.length) filter.groupStatus = statuses;
  if (triggerOf(params)) filter.trigger = triggerOf(params);
  return filter;
}

const hasFilters = (params) => Boolean(statusesOf(params).length || params.range || triggerOf(params));

/** The controls, each with a visible label. `update(changes)` rewrites the query string. */
export function filterBar(params, webhook, update) {
  const statuses = new Set(statusesOf(params));
  const labelled = (id, text, control) => h("div", { class: "filter" }, h("label", { for: id }, text), control);
  const range = h(
    "select",
    { id: "filter-range", onchange: (event) => update({ range: event.target.value, from: undefined, to: undefined }) },
    h("option", { value: "" }, "Any time"),
    Object.entries(PRESETS).map(([value, [text]]) => h("option", { value, selected: params.range === value }, text)),
    h("option", { value: "custom", selected: params.range === "custom" }, "Custom range…"),
  );
  const timeInput = (key) =>
    h("input", {
      type: "datetime-local",
      id: `filter-${key}`,
      value: params[key] ?? "",
      onchange: (event) => update({ [key]: event.target.value }),
    });
  const chips = h(
    "div",
    { class: "filter" },
    h("span", { class: "filter-label", id: "status-label" }, "Status"),
    h(
      "div",
      { class: "status-chips", role: "group", "aria-labelledby": "status-label" },
      OUTCOMES.map(({ key, label }) =>
        h(
          "button",
          {
            type: "button",
            class: "chip",
            id: `status-${key}`,
            "aria-pressed": String(statuses.has(key)),
            dataset: { status: key },
            onclick: () => {
              statuses.has(key) ? statuses.delete(key) : statuses.add(key);
              update({ status: [...statuses].join(",") });
            },
          },
          label,
        ),
      ),
    ),
  );
  // The webhook's own events (all of them for "every event"), plus the one in the address if it is not among them.
  const own = webhook.triggers === 0 ? Object.keys(Trigger).filter((name) => name !== "All") : Trigger.names(webhook.triggers);
  const choices = triggerOf(params) && !own.includes(params.trigger) ? [...own, params.trigger] : own;
  const trigger = h(
    "select",
    { id: "filter-trigger", onchange: (event) => update({ trigger: event.target.value }) },
    h("option", { value: "" }, "Any event"),
    choices.map((name) => h("option", { value: name, selected: params.trigger === name }, triggerLabel(Trigger[name]))),
  );
  return h(
    "div",
    { class: "filters" },
    labelled("filter-range", "Created", range),
    params.range === "custom" ? [labelled("filter-from", "From", timeInput("from")), labelled("filter-to", "To", timeInput("to"))] : null,
    chips,
    labelled("filter-trigger", "Event", trigger),
  );
}

/** One removable chip per active filter, and "Clear all". */
export function activeChips(params, update) {
  const chips = [];
  const statuses = statusesOf(params);
  for (const status of statuses) {
    const label = OUTCOMES.find(({ key }) => key === status)?.label ?? status;
    chips.push([`Status ${label}`, { status: statuses.filter((s) => s !== status).join(",") }]);
  }
  const range = rangeOf(params);
  if (range) chips.push([range.chip, { range: undefined, from: undefined, to: undefined }]);
  if (triggerOf(params)) chips.push([`Event: ${triggerLabel(Trigger[params.trigger])}`, { trigger: undefined }]);
  if (!chips.length) return null;
  return h(
    "div",
    { class: "active-filters", "aria-label": "Active filters" },
    chips.map(([label, without]) =>
      h(
        "button",
        { type: "button", class: "chip removable", "aria-label": `Remove filter ${label}`, onclick: () => update(without) },
        label,
        " ×",
      ),
    ),
    h("button", { type: "button", class: "link", id: "clear-filters", onclick: () => update(NO_FILTERS) }, "Clear all"),
  );
}

/** "deliveries of “File created” with status 5xx created in the last hour": what the filters ask for. */
export function describeFilters(params) {
  const parts = [];
  if (triggerOf(params)) parts.push(`of “${triggerLabel(Trigger[params.trigger])}”`);
  const labels = statusesOf(params).map((status) => OUTCOMES.find(({ key }) => key === status).label);
  if (labels.length) parts.push(`with status ${labels.join(" or ")}`);
  const range = rangeOf(params);
  if (range) parts.push(`created ${range.phrase}`);
  return parts.join(" ");
}

/** The empty result: it names the filters that are set and offers to drop each one. */
export function emptyResult(params, update, { canSendEvents }) {
  if (!hasFilters(params))
    return h(
      "div",
      { class: "empty", id: "empty-history" },
      h("h2", {}, "No deliveries yet"),
      h(
        "p",
        {},
        canSendEvents
          ? "Send a test event (top right) and watch it arrive here."
          : "Deliveries appear here when a subscribed event happens in the portal.",
      ),
    );
  const offers = [];
  if (triggerOf(params)) offers.push(["Any event", { trigger: undefined }]);
  if (statusesOf(params).length) offers.push(["All statuses", { status: undefined }]);
  if (params.range) offers.push(["Any time", { range: undefined, from: undefined, to: undefined }]);
  return h(
    "div",
    { class: "empty", id: "empty-filtered" },
    h("h2", {}, `No deliveries ${describeFilters(params)}`),
    h("p", {}, offers.length > 1 ? "Widen the search by dropping one of the filters:" : "Drop the filter to see every delivery:"),
    h(
      "div",
      { class: "actions" },
      offers.map(([label, changes]) => h("button", { type: "button", onclick: () => update(changes) }, `Show ${label.toLowerCase()}`)),
      offers.length > 1 ? h("button", { type: "button", onclick: () => update(NO_FILTERS) }, "Clear all filters") : null,
    ),
  );
}
