// The webhook list: status badges, the enabled switch (optimistic, rolled back on failure),
// and the row actions.
import { Trigger } from "/pkg/browser.mjs";
import { openEditor } from "./editor.mjs";
import { navigate, render } from "./router.mjs";
import { app, fail, loadTriggers } from "./state.mjs";
import { confirmDialog, fill, h, skeleton, statusBadge, timeAgo, toast, urlCell } from "./ui.mjs";

function eventsSummary(mask) {
  if (mask === 0) return h("span", { title: "Every event, present and future" }, "All events");
  const names = Trigger.names(mask);
  return h("span", { title: names.join(", ") }, names.length === 1 ? names[0] : `${names.length} events`);
}

function enabledSwitch(configs) {
  const button = h(
    "button",
    {
      type: "button",
      role: "switch",
      class: "switch",
      "aria-checked": String(configs.enabled),
      "aria-label": `${configs.enabled ? "Disable" : "Enable"} ${configs.name}`,
      onclick: async () => {
        const wanted = button.getAttribute("aria-checked") !== "true";
        button.setAttribute("aria-checked", String(wanted)); // optimistic
        button.disabled = true;
        try {
          await app.client.enableWebhook(configs.id, wanted);
          button.setAttribute("aria-label", `${wanted ? "Disable" : "Enable"} ${configs.name}`);
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

async function remove(configs) {
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
    render({ refresh: true });
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
      : statusBadge(status);
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
      h("button", { type: "button", class: "primary", onclick: () => openEditor() }, "Create webhook"),
      app.standIn
        ? h("button", { type: "button", onclick: () => openEditor(null, { demo: true }) }, "Create one for the demo inbox")
        : null,
    ),
  );
}

export async function renderList(main, params, { signal }) {
  fill(
    main,
    h(
      "div",
      { class: "toolbar" },
      h("h1", {}, "Webhooks"),
      h("button", { type: "button", class: "primary", id: "create", onclick: () => openEditor() }, "Create webhook"),
    ),
    skeleton(4),
  );
  let list;
  try {
    [list] = await Promise.all([app.client.getTenantWebhooks({ signal }), loadTriggers({ signal })]);
  } catch (error) {
    if (signal.aborted) return;
    fail(error, "Loading webhooks");
    main
      .querySelector(".skeleton")
      ?.replaceWith(
        h(
          "div",
          { class: "empty" },
          h("h2", {}, "Could not load the webhooks"),
          h("p", {}, "Check the portal address and token above, then try again."),
          h("button", { type: "button", onclick: () => render() }, "Try again"),
        ),
      );
    return;
  }
  if (signal.aborted) return;
  const body = list.length === 0 ? emptyState() : table(list);
  main.querySelector(".skeleton")?.replaceWith(body);
}

function table(list) {
  const authors = new Set(list.map(({ configs }) => configs.createdBy?.id));
  const showAuthor = authors.size > 1;
  return h(
    "table",
    { class: "webhooks", id: "webhooks" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Name"),
        h("th", { scope: "col" }, "URL"),
        h("th", { scope: "col" }, "Events"),
        h("th", { scope: "col" }, "Last delivery"),
        showAuthor ? h("th", { scope: "col" }, "Author") : null,
        h("th", { scope: "col" }, "Enabled"),
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")),
      ),
    ),
    h(
      "tbody",
      {},
      list.map(({ configs, status }) =>
        h(
          "tr",
          { dataset: { id: configs.id } },
          h(
            "td",
            { class: "name", "data-label": "Name" },
            h(
              "a",
              {
                href: `?view=history&webhook=${configs.id}`,
                onclick: (event) => (event.preventDefault(), navigate({ view: "history", webhook: configs.id })),
              },
              configs.name,
            ),
            configs.targetId ? h("small", { class: "muted" }, ` target ${configs.targetId}`) : null,
          ),
          h(
            "td",
            { "data-label": "URL" },
            urlCell(configs.uri),
            configs.ssl ? null : h("small", { class: "warn-text", title: "TLS certificates are not verified" }, " SSL off"),
          ),
          h("td", { "data-label": "Events" }, eventsSummary(configs.triggers)),
          h("td", { "data-label": "Last delivery" }, lastDelivery(configs, status)),
          showAuthor ? h("td", { "data-label": "Author" }, configs.createdBy?.displayName ?? "—") : null,
          h("td", { "data-label": "Enabled" }, enabledSwitch(configs)),
          h(
            "td",
            { class: "row-actions" },
            h("button", { type: "button", onclick: () => openEditor(configs) }, "Settings"),
            h("button", { type: "button", onclick: () => navigate({ view: "history", webhook: configs.id }) }, "History"),
            h("button", { type: "button", class: "danger-text", onclick: () => remove(configs) }, "Delete"),
          ),
        ),
      ),
    ),
  );
}
