// The history's table: one row per delivery record, with its outcome, when it was created, when
// the portal last tried and how often, which record it redelivers, and Retry where a retry
// makes sense (finished failures). Failed rows can be selected for "Retry selected".
import { attemptsOf } from "./deliveries.mjs";
import { navigate } from "./router.mjs";
import { triggerLabel } from "./state.mjs";
import { h, isFailed, isPending, plural, statusBadge, timeAgo } from "./ui.mjs";

/** onRetry(row, button), onSelection(ids): what the view does with a click. */
export function historyTable({ webhookId, onRetry, onSelection }) {
  const selected = new Set();
  const tbody = h("tbody");
  const selectAll = h("input", {
    type: "checkbox",
    id: "select-all",
    "aria-label": "Select every failed delivery shown",
    onchange: () => {
      for (const box of tbody.querySelectorAll("input[type=checkbox]")) if (box.checked !== selectAll.checked) box.click();
    },
  });
  const syncSelectAll = () => {
    const boxes = [...tbody.querySelectorAll("input[type=checkbox]")];
    const on = boxes.filter((box) => box.checked).length;
    selectAll.checked = on > 0 && on === boxes.length;
    selectAll.indeterminate = on > 0 && on < boxes.length;
    selectAll.disabled = boxes.length === 0;
    selectAll.setAttribute("aria-label", selectAll.checked ? "Unselect every failed delivery shown" : "Select every failed delivery shown");
  };
  const element = h(
    "table",
    { class: "history", id: "history" },
    h(
      "colgroup",
      {},
      ["c-select", "c-id", "c-status", "c-event", "c-created", "c-attempt", "c-actions"].map((name) => h("col", { class: name })),
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, selectAll),
        h("th", { scope: "col" }, "Delivery"),
        h("th", { scope: "col" }, "Status"),
        h("th", { scope: "col" }, "Event"),
        h("th", { scope: "col" }, "Created"),
        h("th", { scope: "col" }, "Last attempt"),
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")),
      ),
    ),
    tbody,
  );

  function attemptCell(row) {
    const { count, last } = attemptsOf(row);
    if (isPending(row))
      return h("span", { class: "muted" }, count ? `Trying again (${plural(count, "attempt", "attempts")} so far)` : "Sending…");
    return h(
      "span",
      {},
      timeAgo(last),
      count > 1 ? h("small", { class: "muted attempts" }, ` · ${plural(count, "attempt", "attempts")}`) : null,
    );
  }

  function add(rows, redeliveryOf) {
    for (const row of rows) {
      const failed = isFailed(row);
      const box = failed
        ? h("input", {
            type: "checkbox",
            id: `select-${row.id}`,
            "aria-label": `Select delivery #${row.id}`,
            onchange: () => {
              box.checked ? selected.add(row.id) : selected.delete(row.id);
              syncSelectAll();
              onSelection(selected);
            },
          })
        : null;
      const retry = failed ? h("button", { type: "button", id: `retry-${row.id}`, onclick: () => onRetry(row, retry) }, "Retry") : null;
      const original = redeliveryOf.get(row.id);
      tbody.append(
        h(
          "tr",
          { dataset: { id: row.id }, class: original ? "redelivered" : null },
          h("td", { class: "select" }, box),
          h(
            "td",
            { "data-label": "Delivery", class: "delivery-id" },
            h(
              "a",
              {
                href: `?view=delivery&webhook=${webhookId}&log=${row.id}`,
                id: `log-link-${row.id}`,
                onclick: (event) => (event.preventDefault(), navigate({ view: "delivery", webhook: webhookId, log: row.id })),
              },
              `#${row.id}`,
            ),
            original
              ? h("small", { class: "redelivery", title: `A manual redelivery of #${original}` }, `↻ redelivery of #${original}`)
              : null,
          ),
          h(
            "td",
            { "data-label": "Status" },
            statusBadge(row.status, { pending: isPending(row), title: row.responsePayload ?? undefined }),
          ),
          h("td", { "data-label": "Event" }, triggerLabel(row.trigger)),
          h("td", { "data-label": "Created" }, timeAgo(row.creationTime)),
          h("td", { "data-label": "Last attempt" }, attemptCell(row)),
          h("td", { class: "row-actions" }, retry),
        ),
      );
    }
    syncSelectAll();
  }

  return { element, add, selected };
}
