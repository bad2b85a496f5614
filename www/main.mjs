// The demo admin panel's entry: registers the views with the router, wires the header, connects
// with what this tab remembers, and draws the first page. Nothing imports this module.
import { register, render } from "./router.mjs";
import { app, connect, showConnect } from "./state.mjs";
import { renderList } from "./list.mjs";
import { renderHistory } from "./history.mjs";
import { renderDelivery } from "./details.mjs";
import { openTestEvent } from "./test-event.mjs";
import { $ } from "./ui.mjs";

register("list", renderList);
register("history", renderHistory);
register("delivery", renderDelivery);

/** `#token=…` in the address (the portal prints such a link) moves into this tab's storage. */
function takeTokenFromHash() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) {
    sessionStorage.setItem("docspace-token", token);
    history.replaceState(null, "", location.pathname + location.search);
  }
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
    $("#connect").hidden = true;
    render();
  });
  $("#show-connect").addEventListener("click", () => {
    const form = $("#connect");
    form.hidden = !form.hidden;
    if (!form.hidden) $("#token").focus();
  });
  $("#send-event").addEventListener("click", openTestEvent);
  try {
    app.standIn = (await fetch(`${$("#base-url").value}/stand-in/health`)).ok;
  } catch {
    app.standIn = false;
  }
  $("#send-event").hidden = !app.standIn;
  if ($("#token").value) {
    try {
      connect({ baseUrl: $("#base-url").value, token: $("#token").value });
      $("#connect").hidden = true;
    } catch (error) {
      showConnect(error.message);
    }
  }
  render();
}

start();
