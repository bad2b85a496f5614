// A small actions menu (the "⋯" of a row): one button instead of three, with the keyboard
// behaviour of a menu button (Enter, Space or ↓ opens it on the first item, ↑/↓/Home/End move,
// Esc closes and returns to the button, Tab or a click elsewhere closes it).
import { h } from "./ui.mjs";

/** items: [{ label, run, danger? }] */
export function menuButton({ label, id, items }) {
  const button = h(
    "button",
    { type: "button", class: "menu-button", id, "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": label, title: label },
    h("span", { "aria-hidden": "true" }, "⋯"),
  );
  const entries = items.map((item) =>
    h(
      "button",
      {
        type: "button",
        role: "menuitem",
        tabindex: "-1",
        class: item.danger ? "danger-text" : null,
        onclick: () => {
          close(); // focus goes back to the button first, so whatever the item opens returns it there
          item.run();
        },
      },
      item.label,
    ),
  );
  const menu = h("div", { class: "menu", role: "menu", "aria-label": label, hidden: true }, entries);
  const wrapper = h("div", { class: "menu-wrap" }, button, menu);

  const onOutside = (event) => wrapper.contains(event.target) || close({ focusButton: false });
  function open(at = 0) {
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    entries.at(at)?.focus();
    document.addEventListener("pointerdown", onOutside, true);
  }
  function close({ focusButton = true } = {}) {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", onOutside, true);
    if (focusButton) button.focus();
  }
  button.addEventListener("click", () => (menu.hidden ? open() : close()));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(event.key === "ArrowDown" ? 0 : -1);
    }
  });
  menu.addEventListener("keydown", (event) => {
    const at = entries.indexOf(document.activeElement);
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: entries.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      entries.at(moves[event.key] % entries.length).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === "Tab") close({ focusButton: false });
  });
  return wrapper;
}
