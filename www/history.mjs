// A webhook's delivery history: filters kept in the query string (bookmarkable), removable
// filter chips, "N of total", more rows from the client's async iterator, retry one or many.
import { Trigger } from "/pkg/browser.mjs";
import { navigate, refreshLater, route } from "./router.mjs";
import { app, fail, loadTriggers, triggerLabel } from "./state.mjs";
import { fill, h, skeleton, statusBadge, timeAgo, toast } from "./ui.mjs";

const STATUSES = [
  ["NotSent", "Not sent"],
  ["Status2xx", "2xx"],
  ["Status3xx", "3xx"],
  ["Status4xx", "4xx"],
  ["Status5xx", "5xx"],
];
const PRESETS = { "1h": ["Last hour", 3600e3], "24h": ["Last 24 hours", 86400e3], "7d": ["Last 7 days", 7 * 86400e3] };
const PAGE = 25;

/** The client filter for the route's parameters. */
function filterOf(params) {
  const filter = { configId: Number(params.webhook) };
  const statuses = (params.status ?? "").split(",").filter((s) => STATUSES.some(([name]) => name === s));
  if (statuses.length) filter.groupStatus = statuses;
  if (params.trigger && params.trigger in Trigger) filter.trigger = params.trigger;
  if (params.range in PRESETS) filter.deliveryFrom = new Date(Date.now() - PRESETS[params.range][1]);
  if (params.range === "custom") {
    if (params.from) filter.deliveryFrom = new Date(params.from);
    if (params.to) filter.deliveryTo = new Date(params.to);
  }
  return filter;
}

function update(changes) {
  navigate({ ...route(), ...changes }, { replace: true });
}

function filterBar(params) {
  const statuses = new Set((params.status ?? "").split(",").filter(Boolean));
  const range = h(
    "select",
    {
      id: "filter-range",
      "aria-label": "Delivery time",
      onchange: (event) => update({ range: event.target.value, from: undefined, to: undefined }),
    },
    h("option", { value: "" }, "Any time"),
    Object.entries(PRESETS).map(([value, [label]]) => h("option", { value, selected: params.range === value }, label)),
    h("option", { value: "custom", selected: params.range === "custom" }, "Custom range…"),
  );
  // One end of the custom range: a datetime-local bound to the query parameter `key`.
  const timeInput = (label, key) =>
    h(
      "label",
      {},
      label,
      h("input", {
        type: "datetime-local",
        id: `filter-${key}`,
        value: params[key] ?? "",
        onchange: (event) => update({ [key]: event.target.value }),
      }),
    );
  const custom =
    params.range === "custom" ? h("span", { class: "custom-range" }, timeInput("From ", "from"), timeInput("to ", "to")) : null;
  const chips = h(
    "span",
    { class: "status-chips", role: "group", "aria-label": "Delivery status" },
    STATUSES.map(([name, label]) =>
      h(
        "button",
        {
          type: "button",
          class: "chip",
          "aria-pressed": String(statuses.has(name)),
          dataset: { status: name },
          onclick: () => {
            statuses.has(name) ? statuses.delete(name) : statuses.add(name);
            update({ status: [...statuses].join(",") });
          },
        },
        label,
      ),
    ),
  );
  const trigger = h(
    "select",
    { id: "filter-trigger", "aria-label": "Event", onchange: (event) => update({ trigger: event.target.value }) },
    h("option", { value: "" }, "Any event"),
    Object.keys(Trigger)
      .filter((name) => name !== "All")
      .map((name) => h("option", { value: name, selected: params.trigger === name }, triggerLabel(Trigger[name]))),
  );
  return h("div", { class: "filters" }, range, custom, chips, trigger);
}

function activeChips(params) {
  const chips = [];
  for (const status of (params.status ?? "").split(",").filter(Boolean)) {
    const label = STATUSES.find(([name]) => name === status)?.[1] ?? status;
    chips.push([
      `Status ${label}`,
      {
        status: params.status
          .split(",")
          .filter((s) => s !== status)
          .join(","),
      },
    ]);
  }
  if (params.range)
    chips.push([
      params.range === "custom" ? `Delivered ${params.from || "…"} – ${params.to || "…"}` : (PRESETS[params.range]?.[0] ?? params.range),
      { range: undefined, from: undefined, to: undefined },
    ]);
  if (params.trigger) chips.push([triggerLabel(Trigger[params.trigger] ?? 0), { trigger: undefined }]);
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
    h(
      "button",
      {
        type: "button",
        class: "link",
        id: "clear-filters",
        onclick: () => update({ status: undefined, range: undefined, from: undefined, to: undefined, trigger: undefined }),
      },
      "Clear all",
    ),
  );
}

export async function renderHistory(main, params, { signal }) {
  const id = Number(params.webhook);
  fill(main, skeleton(5));
  let webhook;
  try {
    const [list] = await Promise.all([app.client.getTenantWebhooks({ signal }), loadTriggers({ signal })]);
    webhook = list.find((item) => item.configs.id === id)?.configs;
  } catch (error) {
    if (signal.aborted) return;
    return fail(error, "Loading the webhook");
  }
  if (signal.aborted) return;
  if (!webhook) {
    fill(
      main,
      h(
        "div",
        { class: "empty" },
        h("h2", {}, "This webhook does not exist (any more)"),
        h("button", { type: "button", onclick: () => navigate({}) }, "Back to the webhooks"),
      ),
    );
    return;
  }
  const filtered = Boolean(params.status || params.range || params.trigger);
  const filter = filterOf(params);
  const rows = h("tbody");
  const count = h("p", { class: "muted", id: "history-count", "aria-live": "polite" });
  const more = h("button", { type: "button", id: "load-more", hidden: true }, "Load more");
  const selected = new Set();
  const retrySelected = h(
    "button",
    { type: "button", id: "retry-selected", disabled: true, onclick: () => retryMany() },
    "Retry selected (0)",
  );
  const selectAll = h("input", {
    type: "checkbox",
    "aria-label": "Select all shown",
    onchange: () => rows.querySelectorAll("input[type=checkbox]").forEach((box) => box.checked !== selectAll.checked && box.click()),
  });
  const table = h(
    "table",
    { class: "history", id: "history" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, selectAll),
        h("th", { scope: "col" }, "Event ID"),
        h("th", { scope: "col" }, "Status"),
        h("th", { scope: "col" }, "Event"),
        h("th", { scope: "col" }, "Created"),
        h("th", { scope: "col" }, "Delivered"),
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")),
      ),
    ),
    rows,
  );

  fill(
    main,
    h("nav", { class: "crumbs" }, h("a", { href: "?", onclick: (event) => (event.preventDefault(), navigate({})) }, "← Webhooks")),
    h("div", { class: "toolbar" }, h("h1", {}, `History of “${webhook.name}”`), retrySelected),
    filterBar(params),
    activeChips(params),
    count,
    table,
    more,
  );

  const updateSelection = () => {
    retrySelected.textContent = `Retry selected (${selected.size})`;
    retrySelected.disabled = selected.size === 0;
  };

  async function retryOne(row, button) {
    button.disabled = true;
    button.classList.add("busy");
    button.textContent = "Retrying…";
    try {
      const fresh = await app.client.retryWebhook(row.id);
      toast(`Redelivery queued as #${fresh.id}`, {
        action: { label: "View", run: () => navigate({ view: "delivery", webhook: id, log: fresh.id }) },
      });
      // The new row appears once the list is read again; leaving this page cancels that.
      if (!signal.aborted) refreshLater(700);
    } catch (error) {
      fail(error, `Retrying #${row.id}`);
      if (signal.aborted) return;
      button.disabled = false;
      button.classList.remove("busy");
      button.textContent = "Retry";
    }
  }

  async function retryMany() {
    retrySelected.disabled = true;
    try {
      const fresh = await app.client.retryWebhooks([...selected]);
      toast(`${fresh.length} redeliver${fresh.length === 1 ? "y" : "ies"} queued`);
      if (!signal.aborted) refreshLater(700);
    } catch (error) {
      fail(error, "Retrying the selected deliveries");
      if (!signal.aborted) updateSelection();
    }
  }

  function addRow(row) {
    const box = h("input", {
      type: "checkbox",
      "aria-label": `Select #${row.id}`,
      onchange: () => (box.checked ? selected.add(row.id) : selected.delete(row.id), updateSelection()),
    });
    const retry = h("button", { type: "button", onclick: () => retryOne(row, retry) }, "Retry");
    rows.append(
      h(
        "tr",
        { dataset: { id: row.id } },
        h("td", {}, box),
        h(
          "td",
          { "data-label": "Event ID" },
          h(
            "a",
            {
              href: `?view=delivery&webhook=${id}&log=${row.id}`,
              onclick: (event) => (event.preventDefault(), navigate({ view: "delivery", webhook: id, log: row.id })),
            },
            `#${row.id}`,
          ),
        ),
        h("td", { "data-label": "Status" }, statusBadge(row.status)),
        h("td", { "data-label": "Event" }, triggerLabel(row.trigger)),
        h("td", { "data-label": "Created" }, timeAgo(row.creationTime)),
        h("td", { "data-label": "Delivered" }, timeAgo(row.delivery)),
        h("td", { class: "row-actions" }, retry),
      ),
    );
  }

  let total;
  let shown = 0;
  const iterator = app.client.webhooksLogs({ ...filter, count: PAGE }, { signal });
  async function loadMore() {
    more.disabled = true;
    try {
      for (let i = 0; i < PAGE; i++) {
        const next = await iterator.next();
        if (signal.aborted) return;
        if (next.done) {
          more.hidden = true;
          break;
        }
        addRow(next.value);
        shown++;
      }
    } catch (error) {
      if (signal.aborted) return;
      fail(error, "Loading the deliveries");
    }
    more.disabled = false;
    more.hidden = shown >= total;
    count.textContent = `Showing ${shown} of ${total} deliver${total === 1 ? "y" : "ies"}`;
  }
  more.addEventListener("click", loadMore);

  try {
    total = (await app.client.getWebhooksLogs({ ...filter, count: 1 }, { signal })).total;
  } catch (error) {
    if (signal.aborted) return;
    return fail(error, "Loading the deliveries");
  }
  if (signal.aborted) return;
  if (total === 0) {
    table.replaceWith(
      filtered
        ? h(
            "div",
            { class: "empty", id: "empty-filtered" },
            h("h2", {}, "Nothing matches these filters"),
            h("p", {}, "Try a wider time range or other statuses."),
            h(
              "button",
              {
                type: "button",
                onclick: () => update({ status: undefined, range: undefined, from: undefined, to: undefined, trigger: undefined }),
              },
              "Clear filters",
            ),
          )
        : h(
            "div",
            { class: "empty", id: "empty-history" },
            h("h2", {}, "No deliveries yet"),
            h(
              "p",
              {},
              app.standIn
                ? "Send a test event (top right) and watch it arrive here."
                : "Deliveries appear here when a subscribed event happens in the portal.",
            ),
          ),
    );
    count.textContent = "";
    return;
  }
  await loadMore();
}
