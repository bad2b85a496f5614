// A webhook's delivery history: labelled filters kept in the query string, a chart of the
// deliveries they match over time, the table (more rows on demand), Refresh (and refreshing by
// itself while deliveries are still being tried), retry one, the selected, or every failed one.
import { deliveryChart } from "./chart.mjs";
import { DAY, HOUR, LogReader, redeliveries, rememberRedelivery, retryCandidates, stepFor, tally } from "./deliveries.mjs";
import { activeChips, apiFilter, describeFilters, emptyResult, filterBar, rangeOf, statusesOf, triggerOf } from "./history-filters.mjs";
import { historyTable } from "./history-table.mjs";
import { confirmDialog, toast } from "./layers.mjs";
import { loading, navigate, refreshLater, route, userAction } from "./router.mjs";
import { app, canSendEvents, fail, loadTriggers } from "./state.mjs";
import { fill, h, isFailed, isPending, outcomeOf, plural, skeleton } from "./ui.mjs";

const PAGE = 25;
/** Rows read at most for one view: a whole range up to this many; "any time" the latest this many (the rest on demand). */
const RANGE_ROWS = 2000;
const LATEST_ROWS = 500;
/** While deliveries are still being tried, the page reads the log again this often. */
const PENDING_REFRESH_MS = 2000;

/** How many rows were showing, so a refresh of the same view keeps them. */
let kept = { search: "", shown: PAGE };

const update = (changes) => navigate({ ...route(), ...changes }, { replace: true });

export async function renderHistory(main, params, { signal, refresh }) {
  const id = Number(params.webhook);
  if (!refresh) fill(main, skeleton(5));
  const [list] = await loading("Loading the webhook", Promise.all([app.client.getTenantWebhooks({ signal }), loadTriggers({ signal })]));
  if (signal.aborted) return;
  const webhook = list.find((item) => item.configs.id === id)?.configs;
  const crumbs = h(
    "nav",
    { class: "crumbs" },
    h("a", { href: "?", onclick: (event) => (event.preventDefault(), navigate({})) }, "← Webhooks"),
  );
  if (!webhook) {
    return fill(
      main,
      crumbs,
      h(
        "div",
        { class: "empty" },
        h("h1", { tabindex: "-1" }, "This webhook does not exist (any more)"),
        h("button", { type: "button", onclick: () => navigate({}) }, "Back to the webhooks"),
      ),
    );
  }

  const now = Date.now();
  const range = rangeOf(params, now);
  const filter = apiFilter(id, params);
  const reader = new LogReader(app.client, filter, { from: range?.from ?? null, to: range?.to ?? null, signal });
  // Any time: the API counts for us. A range: every row in it is read, so the count is exact.
  let [rows, total] = await loading(
    "Loading the deliveries",
    Promise.all([
      reader.read(range ? RANGE_ROWS : LATEST_ROWS),
      range ? null : app.client.getWebhooksLogs({ ...filter, count: 1 }, { signal }).then((page) => page.total),
    ]),
  );
  if (signal.aborted) return;
  total ??= reader.done ? rows.length : null;

  const updated = h("span", { class: "muted updated", id: "updated" }, `Updated ${new Date(now).toLocaleTimeString()}`);
  const refreshButton = h("button", { type: "button", id: "refresh", onclick: () => refreshNow() }, "Refresh");
  const retryFailed = h("button", { type: "button", id: "retry-failed", onclick: () => userAction(retryAllFailed) }, "Retry failed…");
  const retrySelected = h("button", { type: "button", id: "retry-selected", hidden: true, onclick: () => userAction(retryMany) });
  const count = h("p", { class: "muted", id: "history-count", "aria-live": "polite" });
  const more = h("button", { type: "button", id: "load-more", hidden: true, onclick: () => loadMore() }, "Load more");
  const table = historyTable({
    webhookId: id,
    onRetry: (row, button) => userAction(() => retryOne(row, button)),
    onSelection: (selected) => {
      retrySelected.hidden = selected.size === 0;
      retrySelected.textContent = `Retry selected (${selected.size})`;
    },
  });
  const filters = describeFilters(params);

  fill(
    main,
    crumbs,
    h(
      "div",
      { class: "toolbar" },
      h("h1", { tabindex: "-1" }, `History of “${webhook.name}”`),
      h("div", { class: "tools" }, updated, refreshButton, rows.some(isFailed) ? retryFailed : null, retrySelected),
    ),
    filterBar(params, webhook, update),
    activeChips(params, update),
    rows.length ? chart() : null,
    rows.length ? [count, table.element, more] : emptyResult(params, update, { canSendEvents: canSendEvents() }),
  );
  const marks = redeliveries(rows);
  let shown = 0;
  show(refresh && kept.search === location.search ? kept.shown : PAGE);
  if (rows.some(isPending)) refreshLater(PENDING_REFRESH_MS);

  function chart() {
    const to = range?.to ?? now;
    const oldest = Math.min(...rows.map((row) => Date.parse(row.creationTime)));
    const from = range?.from ?? Math.min(oldest, to - HOUR);
    const subject = range ? filters : `${filters}${filters ? " " : ""}${reader.done ? "so far" : `(the latest ${rows.length})`}`;
    return deliveryChart(tally(rows, { from, to, step: stepFor(to - from, to - from > DAY ? 28 : 24) }), { subject });
  }

  function show(wanted) {
    const next = rows.slice(shown, Math.max(shown, wanted));
    table.add(next, marks);
    shown += next.length;
    kept = { search: location.search, shown: Math.max(shown, wanted) };
    const of = total === null ? `${rows.length.toLocaleString()}+` : total.toLocaleString();
    count.textContent = `Showing ${shown.toLocaleString()} of ${of} ${total === 1 ? "delivery" : "deliveries"}${filters ? ` ${filters}` : ""}`;
    more.hidden = shown >= rows.length && reader.done;
  }

  async function loadMore() {
    more.disabled = true;
    try {
      if (shown + PAGE > rows.length && !reader.done) rows.push(...(await reader.read(PAGE)));
      if (signal.aborted) return;
      show(shown + PAGE);
    } catch (error) {
      if (!signal.aborted) fail(error, "Loading more deliveries");
    } finally {
      more.disabled = false;
    }
  }

  function refreshNow() {
    refreshButton.classList.add("busy");
    refreshLater(0);
  }

  async function retryOne(row, button) {
    button.disabled = true;
    button.classList.add("busy");
    button.textContent = "Retrying…";
    try {
      const fresh = await app.client.retryWebhook(row.id);
      rememberRedelivery(fresh.id, row.id);
      toast(`Redelivery of #${row.id} queued as #${fresh.id}`, {
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

  async function retry(ids) {
    const fresh = [];
    for (let at = 0; at < ids.length; at += 100) fresh.push(...(await app.client.retryWebhooks(ids.slice(at, at + 100))));
    // A copy not sent yet still carries the original's event.id.
    for (const row of fresh) rememberRedelivery(row.id, JSON.parse(row.requestPayload ?? "{}")?.event?.id ?? null);
    toast(`${plural(fresh.length, "redelivery", "redeliveries")} queued`);
    if (!signal.aborted) refreshLater(700);
  }

  async function retryMany() {
    retrySelected.disabled = true;
    try {
      await retry([...table.selected]);
    } catch (error) {
      fail(error, "Retrying the selected deliveries");
    } finally {
      retrySelected.disabled = false;
    }
  }

  /** Every event in the filters whose latest delivery failed, read in full (all outcomes, so later successes count). */
  async function retryAllFailed() {
    retryFailed.disabled = true;
    retryFailed.classList.add("busy");
    try {
      const everything = new LogReader(
        app.client,
        { configId: id, ...(triggerOf(params) ? { trigger: params.trigger } : {}) },
        { from: range?.from ?? null, to: range?.to ?? null, signal },
      );
      const statuses = statusesOf(params);
      const candidates = retryCandidates(await everything.read(Infinity)).filter(
        (row) => !statuses.length || statuses.includes(outcomeOf(row.status)),
      );
      if (signal.aborted) return;
      if (!candidates.length) return toast(`Nothing to retry: no event ${filters || "here"} is still failing.`);
      const sure = await confirmDialog({
        title: `Retry ${plural(candidates.length, "failed delivery", "failed deliveries")}?`,
        body: `The latest delivery of each event ${filters || "in this history"} that failed is sent again, as a new delivery. Events that were delivered since are left alone.`,
        confirm: `Retry ${candidates.length}`,
      });
      if (sure) await retry(candidates.map((row) => row.id));
    } catch (error) {
      fail(error, "Retrying the failed deliveries");
    } finally {
      retryFailed.disabled = false;
      retryFailed.classList.remove("busy");
    }
  }
}
