// The editor's event choice, kept compact: "Send everything" or "Only selected events"; what is
// selected shows first, as removable chips with a count; the ~40 events sit in collapsed
// groups (per family, with "Select all"/"Unselect all") and a search that opens the groups it
// matches. Events the caller's role may not use are greyed out and say why.
import { Trigger } from "/pkg/browser.mjs";
import { triggerLabel } from "./state.mjs";
import { fill, h } from "./ui.mjs";

const FAMILIES = { file: "Files", folder: "Folders", room: "Rooms", user: "Users", group: "Groups", form: "Forms", agent: "Agents" };

export function eventPicker(triggers, mask, { onChange = () => {} } = {}) {
  const all = h("input", { type: "radio", name: "events-mode", id: "events-all", value: "all", checked: mask === 0 });
  const some = h("input", { type: "radio", name: "events-mode", id: "events-some", value: "some", checked: mask !== 0 });
  const search = h("input", { type: "search", id: "events-search", placeholder: "Search events", "aria-label": "Search events" });
  const error = h("p", { class: "field-error", id: "events-error", role: "alert" });
  const picked = h("div", { class: "picked", id: "events-picked", "aria-live": "polite" });
  const chosen = mask === 0 ? [] : Trigger.names(mask);

  const boxes = [];
  const families = {};
  for (const info of triggers.filter((t) => t.id !== 0)) (families[info.name.split(".")[0]] ??= []).push(info);
  const groups = Object.entries(families).map(([family, infos]) => {
    const items = infos.map((info) => {
      const box = h("input", {
        type: "checkbox",
        value: info.key ?? info.name,
        "data-bit": info.id,
        checked: chosen.includes(info.key),
        disabled: info.available === false,
      });
      boxes.push(box);
      return h(
        "label",
        {
          class: `event${info.available === false ? " unavailable" : ""}`,
          title: info.available === false ? "Your role may not subscribe to this event" : info.name,
        },
        box,
        " ",
        triggerLabel(info.id),
        info.available === false ? h("small", { class: "muted" }, " (not for your role)") : null,
      );
    });
    const usable = items.map((item) => item.querySelector("input")).filter((box) => !box.disabled);
    const count = h("span", { class: "group-count" });
    const toggle = h("button", {
      type: "button",
      class: "link",
      onclick: () => {
        const target = !usable.every((box) => box.checked);
        usable.forEach((box) => (box.checked = target));
        sync();
      },
    });
    const group = h(
      "details",
      { class: "event-group", dataset: { family } },
      h("summary", {}, FAMILIES[family] ?? family, " ", count),
      usable.length ? h("div", { class: "group-tools" }, toggle) : null,
      h("div", { class: "group-items" }, items),
    );
    group.sync = () => {
      const on = usable.filter((box) => box.checked).length;
      count.textContent = on ? `${on} of ${items.length} selected` : `${items.length}`;
      toggle.textContent = usable.length && usable.every((box) => box.checked) ? "Unselect all" : "Select all";
    };
    return group;
  });
  const picker = h("div", { class: "event-picker", id: "event-picker" }, search, groups);

  const selected = () => boxes.filter((box) => box.checked && !box.disabled);
  function sync() {
    picker.hidden = all.checked;
    groups.forEach((group) => group.sync());
    const on = selected();
    fill(
      picked,
      all.checked
        ? h("span", { class: "muted" }, "Every event, including ones added to DocSpace later.")
        : on.length
          ? [
              h("span", { class: "picked-count" }, `${on.length} selected:`),
              on.map((box) =>
                h(
                  "button",
                  {
                    type: "button",
                    class: "chip removable",
                    "aria-label": `Remove ${triggerLabel(Number(box.dataset.bit))}`,
                    onclick: () => {
                      box.checked = false;
                      sync();
                      (picked.querySelector("button") ?? search).focus();
                    },
                  },
                  triggerLabel(Number(box.dataset.bit)),
                  " ×",
                ),
              ),
            ]
          : h("span", { class: "muted" }, "No event selected yet: pick at least one below."),
    );
    if (!all.checked && on.length) error.textContent = "";
    onChange();
  }
  for (const input of [all, some, ...boxes]) input.addEventListener("change", sync);
  search.addEventListener("input", () => {
    const wanted = search.value.trim().toLowerCase();
    for (const group of groups) {
      let visible = 0;
      for (const label of group.querySelectorAll(".event")) {
        const show = !wanted || label.textContent.toLowerCase().includes(wanted) || label.title.toLowerCase().includes(wanted);
        label.hidden = !show;
        visible += show;
      }
      group.hidden = visible === 0;
      group.open = Boolean(wanted) && visible > 0;
    }
  });
  sync();

  const element = h(
    "fieldset",
    { class: "field events" },
    h("legend", {}, "Events"),
    h(
      "div",
      { class: "modes" },
      h("label", { class: "check" }, all, " Send everything"),
      h("label", { class: "check" }, some, " Only selected events"),
    ),
    picked,
    picker,
    error,
  );
  return {
    element,
    error,
    /** "All", or the selected C# names. */
    value: () => (all.checked ? "All" : selected().map((box) => box.value)),
    /** Something to focus for the "select at least one" message. */
    focusTarget: () => search,
    /** Checked boxes as text, for "has the form changed". */
    snapshot: () =>
      all.checked
        ? "all"
        : selected()
            .map((box) => box.value)
            .join(","),
  };
}
