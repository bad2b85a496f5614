// The demo admin panel's entry: registers the views with the router, wires the header, connects
// with what this tab remembers, and draws the first page. Nothing imports this module.
import { renderDelivery } from "./details.mjs";
import { renderHistory } from "./history.mjs";
import { renderList } from "./list.mjs";
import { register, render } from "./router.mjs";
import { app, connect, setConnection, showConnect } from "./state.mjs";
import { openTestEvent } from "./test-event.mjs";
import { $, tickRelativeTimes } from "./ui.mjs";

register("list", renderList);
register("history", renderHistory);
register("delivery", renderDelivery);

/** "… ago" texts are brought up to date this often. */
const CLOCK_MS = 15_000;

/** `#token=…` in the address (the portal prints such a link) moves into this tab's storage. */
function takeTokenFromHash() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) {
    sessionStorage.setItem("docspace-token", token);
    history.replaceState(null, "", location.pathname + location.search);
  }
}

function toggleConnect(open) {
  $("#connect").hidden = !open;
  $("#show-connect").setAttribute("aria-expanded", String(open));
  if (open) $("#token").focus();
}

async function start() {
  takeTokenFromHash();
  $("#base-url").value = sessionStorage.getItem("docspace-base-url") ?? location.origin;
  $("#token").value = sessionStorage.getItem("docspace-token") ?? "";
  $("#connect").addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      connect({ baseUrl: $("#base-url").value.trim(), token: $("#token").value.trim() });
    } catch (error) {
      $("#connect-message").textContent = error.message;
      return;
    }
    toggleConnect(false);
    render();
  });
  $("#show-connect").addEventListener("click", () => toggleConnect($("#connect").hidden));
  $("#send-event").addEventListener("click", openTestEvent);
  setInterval(tickRelativeTimes, CLOCK_MS);
  try {
    app.standIn = (await fetch(`${$("#base-url").value}/stand-in/health`)).ok;
  } catch {
    app.standIn = false;
  }
  if ($("#token").value) {
    try {
      connect({ baseUrl: $("#base-url").value, token: $("#token").value });
      toggleConnect(false);
    } catch (error) {
      showConnect(error.message);
    }
  } else setConnection("none");
  render();
}

start();
