// The webhook list: each webhook with its receiver, events, delivery health over the last 24
// hours, last delivery, the enabled switch (optimistic, rolled back on failure) and a row menu.
// Column widths are fixed, so the table does not jump when a refresh changes its contents.
import { Trigger } from "/pkg/browser.mjs";
import { healthStrip } from "./chart.mjs";
import { DAY, HOUR, LogReader, tally } from "./deliveries.mjs";
import { openEditor } from "./editor.mjs";
import { confirmDialog, toast } from "./layers.mjs";
import { menuButton } from "./menu.mjs";
import { loading, navigate, render } from "./router.mjs";
import { app, canManageWebhooks, canSendEvents, fail, loadTriggers, triggerLabel } from "./state.mjs";
import { fill, h, isPending, skeleton, statusBadge, timeAgo, urlCell } from "./ui.mjs";

/** At most this many log rows per webhook are read for its strip (1000+ a day is "busy" enough to show). */
const HEALTH_ROWS = 1000;

function eventsSummary(mask) {
  if (mask === 0) return h("span", { title: "Every event, present and future" }, "All events");
  const names = Trigger.names(mask);
  const labels = names.map((name) => triggerLabel(Trigger[name]));
  return h("span", { title: labels.join(", ") }, labels.length === 1 ? labels[0] : `${labels.length} events`);
}

function enabledSwitch(configs) {
  const button = h(
    "button",
    {
      type: "button",
      role: "switch",
      class: "switch",
      id: `enabled-${configs.id}`,
      "aria-checked": String(configs.enabled),
      "aria-label": `${configs.name} enabled`,
      onclick: async () => {
        const wanted = button.getAttribute("aria-checked") !== "true";
        button.setAttribute("aria-checked", String(wanted)); // optimistic
        button.disabled = true;
        try {
          await app.client.enableWebhook(configs.id, wanted);
          toast(`${configs.name} ${wanted ? "enabled" : "disabled"}`);
        } catch (error) {
          button.setAttribute("aria-checked", String(!wanted)); // roll back
          fail(error, `${wanted ? "Enabling" : "Disabling"} ${configs.name}`);
        } finally {
          button.disabled = false;
        }
      },
    },
    h("span", { class: "knob" }),
  );
  return button;
}

async function remove(configs, neighbour) {
  const sure = await confirmDialog({
    title: `Delete “${configs.name}”?`,
    body: `It stops receiving events right away, and its delivery history goes with it. This cannot be undone.`,
    confirm: "Delete webhook",
    danger: true,
  });
  if (!sure) return;
  try {
    await app.client.removeWebhook(configs.id);
    toast(`${configs.name} deleted`);
    // The row and its menu are gone: focus moves to the next row (or the one before, or the page's main action).
    await render({ refresh: true, focus: `${neighbour ? `#hook-link-${neighbour}, ` : ""}#create, #view h1` });
  } catch (error) {
    fail(error, `Deleting ${configs.name}`);
  }
}

function lastDelivery(configs, status) {
  // The portal reports the status of the last *delivered* record (failed ones have no delivery
  // time), so a webhook that only ever failed reads 0: show it as failed, not "Not sent".
  const failedSince = configs.lastFailureOn && (!configs.lastSuccessOn || configs.lastFailureOn > configs.lastSuccessOn);
  const badge =
    status === 0 && failedSince
      ? h("span", { class: "badge failed", title: configs.lastFailureContent ?? "" }, "Failed")
      : statusBadge(status, { title: status ? undefined : "No delivery yet" });
  return h(
    "div",
    { class: "last" },
    badge,
    configs.lastSuccessOn ? h("small", { class: "ok-text" }, "✓ ", timeAgo(configs.lastSuccessOn)) : null,
    configs.lastFailureOn
      ? h("small", { class: "bad-text", title: configs.lastFailureContent ?? "" }, "✗ ", timeAgo(configs.lastFailureOn))
      : null,
  );
}

function emptyState() {
  return h(
    "div",
    { class: "empty", id: "empty-webhooks" },
    h("h2", {}, "No webhooks yet"),
    h(
      "p",
      {},
      "A webhook sends a signed HTTP POST to your server whenever something happens in the portal: a file is uploaded, a room is created, a form is filled out.",
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "primary", id: "create", onclick: () => openEditor() }, "Create webhook"),
      app.standIn
        ? h("button", { type: "button", onclick: () => openEditor(null, { demo: true }) }, "Create one for the demo inbox")
        : null,
    ),
  );
}

/** What a guest sees: DocSpace gives guests no webhooks, so there is nothing to list or create. */
function guestState() {
  return h(
    "div",
    { class: "empty", id: "no-access" },
    h("h2", {}, "Webhooks are not available to guests"),
    h("p", {}, "In DocSpace, webhooks belong to users, room admins and admins. Ask a portal admin if you need one."),
  );
}

export async function renderList(main, params, { signal, refresh }) {
  const heading = h("h1", { tabindex: "-1" }, "Webhooks");
  if (!refresh) fill(main, h("div", { class: "toolbar" }, heading), skeleton(4));
  await loading("Loading the webhooks", loadTriggers({ signal }));
  if (signal.aborted) return;
  if (!canManageWebhooks()) return fill(main, h("div", { class: "toolbar" }, heading), guestState());
  const list = await loading("Loading the webhooks", app.client.getTenantWebhooks({ signal }));
  if (signal.aborted) return;
  const names = list.map(({ configs }) => configs.name);
  fill(
    main,
    h(
      "div",
      { class: "toolbar" },
      heading,
      list.length
        ? h("button", { type: "button", class: "primary", id: "create", onclick: () => openEditor(null, { names }) }, "Create webhook")
        : null,
    ),
    list.length === 0 ? emptyState() : table(list, names),
    list.length && canSendEvents() ? h("p", { class: "muted hint" }, "Send a test event (top right) to see deliveries arrive.") : null,
  );
  loadHealth(list, signal);
}

/** Fills each row's strip; a failure leaves a dash there (the table itself has loaded fine). */
function loadHealth(list, signal) {
  const to = Date.now();
  const from = to - DAY;
  for (const { configs } of list) {
    const cell = document.getElementById(`health-${configs.id}`);
    const reader = new LogReader(app.client, { configId: configs.id }, { from, to, signal });
    reader
      .read(HEALTH_ROWS)
      .then((rows) => {
        if (signal.aborted) return;
        const counts = tally(rows, { from, to, step: HOUR });
        fill(cell, healthStrip(counts, rows.filter(isPending).length));
      })
      .catch(() => signal.aborted || fill(cell, h("span", { class: "muted", title: "The delivery log could not be read" }, "—")));
  }
}

function table(list, names) {
  const authors = new Set(list.map(({ configs }) => configs.createdBy?.id));
  const showAuthor = authors.size > 1;
  const column = (className) => h("col", { class: className });
  return h(
    "table",
    { class: "webhooks", id: "webhooks" },
    h(
      "colgroup",
      {},
      column("c-hook"),
      column("c-events"),
      column("c-health"),
      column("c-last"),
      showAuthor ? column("c-author") : null,
      column("c-enabled"),
      column("c-actions"),
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Webhook"),
        h("th", { scope: "col" }, "Events"),
        h("th", { scope: "col" }, "Last 24 hours"),
        h("th", { scope: "col" }, "Last delivery"),
        showAuthor ? h("th", { scope: "col" }, "Author") : null,
        h("th", { scope: "col" }, "Enabled"),
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")),
      ),
    ),
    h(
      "tbody",
      {},
      list.map(({ configs, status }, index) => {
        const neighbour = (list[index + 1] ?? list[index - 1])?.configs.id;
        return h(
          "tr",
          { dataset: { id: configs.id } },
          h(
            "td",
            { class: "name", "data-label": "Webhook" },
            h(
              "a",
              {
                href: `?view=history&webhook=${configs.id}`,
                id: `hook-link-${configs.id}`,
                onclick: (event) => (event.preventDefault(), navigate({ view: "history", webhook: configs.id })),
              },
              configs.name,
            ),
            h(
              "div",
              { class: "hook-url" },
              urlCell(configs.uri),
              configs.ssl ? null : h("small", { class: "tag warn-text", title: "TLS certificates are not verified" }, "SSL off"),
              configs.targetId
                ? h("small", { class: "tag muted", title: "Only events about this entity" }, `target ${configs.targetId}`)
                : null,
            ),
          ),
          h("td", { "data-label": "Events" }, eventsSummary(configs.triggers)),
          h(
            "td",
            { "data-label": "Last 24 hours", id: `health-${configs.id}`, class: "health-cell" },
            h("span", { class: "strip-loading", "aria-label": "Loading" }),
          ),
          h("td", { "data-label": "Last delivery" }, lastDelivery(configs, status)),
          showAuthor ? h("td", { "data-label": "Author" }, configs.createdBy?.displayName ?? "—") : null,
          h("td", { "data-label": "Enabled" }, enabledSwitch(configs)),
          h(
            "td",
            { class: "row-actions" },
            menuButton({
              label: `Actions for ${configs.name}`,
              id: `actions-${configs.id}`,
              items: [
                { label: "Settings", run: () => openEditor(configs, { names }) },
                { label: "Delivery history", run: () => navigate({ view: "history", webhook: configs.id }) },
                { label: "Delete", danger: true, run: () => remove(configs, neighbour) },
              ],
            }),
          ),
        );
      }),
    ),
  );
}
