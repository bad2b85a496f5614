// The router: the query string says which view is showing (so views and filters can be
// bookmarked and shared), a table maps view names to render functions, and every render owns
// an AbortController. Starting a render aborts the one before it, so a late answer or a
// scheduled refresh of a page the user has left can never draw over the page they are on.
import { app, describe, isAbort, showConnect } from "./state.mjs";
import { $, fill, h } from "./ui.mjs";

const views = new Map();
let fallback = null;
let current = new AbortController();

/** register("history", (main, params, { signal, refresh }) => …): the first one registered is the default view. */
export function register(view, renderView) {
  views.set(view, renderView);
  fallback ??= view;
}

export function route() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

export function navigate(params, { replace = false } = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const url = `${location.pathname}${query.size ? `?${query}` : ""}`;
  history[replace ? "replaceState" : "pushState"](null, "", url);
  return render({ refresh: replace });
}

/** A view's load that failed, with what the view was doing: render() shows it in place. */
class LoadFailure extends Error {
  constructor(doing, cause) {
    super(`${doing} did not work`, { cause });
    this.doing = doing;
  }
}

/**
 * Awaits `promise` for a view; if it rejects, render() shows the failure as "`doing` did not
 * work" (or nothing, when the view was left meanwhile).
 */
export async function loading(doing, promise) {
  try {
    return await promise;
  } catch (error) {
    throw new LoadFailure(doing, error);
  }
}

/**
 * Draws the view the address names. `refresh` redraws the same page in place (a retry's new
 * row, a test event's deliveries, a changed filter): focus stays on the element with the same
 * id if it is still there. `focus` names what to focus afterwards instead (a CSS selector, the
 * first that matches wins), for when the focused element went away (a deleted row).
 */
export async function render({ refresh = false, focus } = {}) {
  current.abort();
  const controller = new AbortController();
  current = controller;
  const { signal } = controller;
  if (!app.client) return showConnect();
  const params = route();
  const view = views.has(params.view) ? params.view : fallback;
  document.body.dataset.view = view;
  const focused = refresh ? document.activeElement?.id : null;
  const main = $("#view");
  try {
    await views.get(view)(main, params, { signal, refresh });
  } catch (thrown) {
    const { doing, cause: error } = thrown instanceof LoadFailure ? thrown : { doing: "Showing this page", cause: thrown };
    if (signal.aborted || isAbort(error)) return;
    showFailure(main, error, doing);
    return;
  }
  if (signal.aborted) return;
  const lost = document.activeElement === document.body || !document.activeElement;
  const wanted = focus
    ? focus
        .split(",")
        .map((selector) => $(selector.trim()))
        .find(Boolean)
    : null;
  if (wanted) wanted.focus();
  else if (focused && lost) document.getElementById(focused)?.focus();
  else if (!refresh && lost) $("#view h1")?.focus();
}

/** What the user asked for and is still under way (a batch retry, its confirmation). */
const actions = new Set();

/**
 * Runs `action` (a user's click) with scheduled redraws held until it ends: a redraw aborts the
 * page's signal, and an automatic one (a pending row's) must not silently drop what the user
 * asked for half way. Navigating away still cancels it.
 */
export async function userAction(action) {
  const running = action();
  actions.add(running);
  try {
    return await running;
  } finally {
    actions.delete(running);
  }
}

/**
 * Redraws the current page in place after each of `delays` (ms from now), each one held while
 * a user action runs. Any other render (navigating away, or a redraw asked for elsewhere)
 * cancels the rest.
 */
export function refreshLater(...delays) {
  let { signal } = current;
  let elapsed = 0;
  const next = () => {
    if (!delays.length || signal.aborted) return;
    const at = delays.shift();
    const timer = setTimeout(async () => {
      while (actions.size) await Promise.allSettled(actions);
      if (signal.aborted) return;
      elapsed = at;
      const drawn = render({ refresh: true });
      signal = current.signal; // this redraw's render owns the following ones
      drawn.then(next);
    }, at - elapsed);
    signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  };
  next();
}

/** A view that could not load says so once, in place, with "Try again" when that may help. */
function showFailure(main, error, doing) {
  const { text, retry, silent } = describe(error, doing);
  if (silent) return fill(main);
  fill(
    main,
    h(
      "div",
      { class: "empty failure", id: "load-failed", role: "alert" },
      h("h1", { tabindex: "-1" }, `${doing} did not work`),
      h("p", {}, text),
      retry ? h("button", { type: "button", onclick: () => render() }, "Try again") : null,
    ),
  );
}

addEventListener("popstate", () => render());
