// Delivery health drawn by hand in SVG (no charting library: the page is served offline and
// stays small): a per-webhook strip for the list and a stacked bar chart for the history.
// Colours come from CSS variables, so both follow light and dark mode; every picture has a
// text equivalent (a sentence, and for the chart a data table).
import { DAY, HOUR, sum } from "./deliveries.mjs";
import { formatCompact, h, OUTCOMES, plural } from "./ui.mjs";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  element.append(...children.flat(Infinity).filter(Boolean));
  return element;
}

/** "20 delivered (2xx), 3 failed (5xx)": the outcomes that occurred, in the legend's order. */
export function countsText(counts) {
  const parts = OUTCOMES.filter(({ key }) => counts[key]).map(({ key, name }) => `${counts[key].toLocaleString()} ${name}`);
  return parts.length ? parts.join(", ") : "none";
}

/** Share of finished deliveries that got a 2xx, or null when none finished. */
export function successRate(counts, pending = 0) {
  const finished = sum(counts) - pending;
  return finished > 0 ? counts.Status2xx / finished : null;
}

/** A stack of outcome rectangles for one bucket, bottom up in legend order. */
function stack(counts, { x, width, bottom, scale }) {
  const parts = [];
  let y = bottom;
  for (const { key } of OUTCOMES) {
    if (!counts[key]) continue;
    const height = Math.max(counts[key] * scale, 1.5);
    y -= height;
    parts.push(svg("rect", { x, y, width, height, class: `o-${key}` }));
  }
  return parts;
}

/**
 * The list's health strip: the last 24 h hour by hour, each bar stacked by outcome, with the
 * success rate and the count beside it; the sentence is what screen readers get.
 */
export function healthStrip({ buckets, totals }, pending = 0) {
  const total = sum(totals);
  const rate = successRate(totals, pending);
  const most = Math.max(1, ...buckets.map((bucket) => sum(bucket.counts)));
  const [width, height, bar] = [buckets.length * 5, 22, 4];
  const picture = svg(
    "svg",
    { class: "strip", viewBox: `0 0 ${width} ${height}`, width, height, "aria-hidden": "true", focusable: "false" },
    buckets.map((bucket, i) =>
      sum(bucket.counts)
        ? stack(bucket.counts, { x: i * 5, width: bar, bottom: height, scale: (height - 2) / most })
        : svg("rect", { x: i * 5, y: height - 1, width: bar, height: 1, class: "o-none" }),
    ),
  );
  const tone = rate === null ? "none" : rate >= 0.95 ? "good" : rate >= 0.5 ? "fair" : "poor";
  return h(
    "div",
    { class: `health ${tone}` },
    picture,
    h(
      "span",
      { class: "health-text", "aria-hidden": "true" },
      rate === null
        ? h("span", { class: "muted" }, total ? "Being delivered" : "No deliveries")
        : h("strong", {}, `${Math.round(rate * 100)}% delivered`),
      total ? h("span", { class: "muted" }, ` · ${total.toLocaleString()}`) : null,
    ),
    h(
      "span",
      { class: "sr-only health-summary" },
      total ? `Last 24 hours: ${plural(total, "delivery", "deliveries")}: ${countsText(totals)}.` : "No deliveries in the last 24 hours.",
      rate === null ? "" : ` ${Math.round(rate * 100)}% delivered.`,
      pending ? ` ${pending} still being delivered.` : "",
    ),
  );
}

/** "14:00", "7 Dec", "7 Dec 14:00": bucket labels as precise as the step needs. */
function bucketLabel(start, step, long = false) {
  const date = new Date(start);
  if (step >= DAY) return date.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  const time = date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return long ? formatCompact(date) : time;
}

const stepName = (step) =>
  step >= 7 * DAY
    ? "week"
    : step >= DAY
      ? "day"
      : step >= HOUR
        ? step === HOUR
          ? "hour"
          : `${step / HOUR} hours`
        : `${step / 60e3} minutes`;

/**
 * The history chart: deliveries over time stacked by outcome, for the rows the filters keep.
 * Returns a <figure> that redraws itself at its own width (phone or desktop).
 */
export function deliveryChart({ buckets, totals, step }, { subject }) {
  const total = sum(totals);
  const summaryId = "chart-summary";
  const summary = h(
    "p",
    { class: "chart-summary", id: summaryId },
    total ? `${plural(total, "delivery", "deliveries")} ${subject}: ${countsText(totals)}.` : `No deliveries ${subject}.`,
  );
  const legend = h(
    "ul",
    { class: "legend", "aria-hidden": "true" },
    OUTCOMES.filter(({ key }) => totals[key]).map(({ key, label }) =>
      h(
        "li",
        { dataset: { outcome: key } },
        h("span", { class: `swatch o-${key}` }),
        `${label} `,
        h("strong", {}, totals[key].toLocaleString()),
      ),
    ),
  );
  const plot = h("div", { class: "plot" });
  const table = h(
    "table",
    { class: "chart-table" },
    h("caption", {}, `Deliveries per ${stepName(step)}, by outcome`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "From"),
        OUTCOMES.map(({ label }) => h("th", { scope: "col" }, label)),
        h("th", { scope: "col" }, "Total"),
      ),
    ),
    h(
      "tbody",
      {},
      buckets
        .filter((bucket) => sum(bucket.counts))
        .map((bucket) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, bucketLabel(bucket.start, step, true)),
            OUTCOMES.map(({ key }) => h("td", { dataset: { outcome: key } }, bucket.counts[key])),
            h("td", {}, sum(bucket.counts)),
          ),
        ),
    ),
  );
  const figure = h(
    "figure",
    { class: "chart", id: "delivery-chart", "aria-labelledby": summaryId },
    h("div", { class: "chart-head" }, summary, legend),
    plot,
    h("details", { class: "chart-data" }, h("summary", {}, "Show the numbers"), table),
  );
  let drawnWidth = 0;
  const draw = () => {
    const width = Math.round(plot.clientWidth);
    if (!width || width === drawnWidth) return;
    drawnWidth = width;
    plot.replaceChildren(bars(buckets, step, width, summaryId));
  };
  new ResizeObserver(draw).observe(plot);
  return figure;
}

function bars(buckets, step, width, summaryId) {
  const height = 150;
  const [left, bottom, top] = [34, 20, 8];
  const most = Math.max(1, ...buckets.map((bucket) => sum(bucket.counts)));
  const ceiling = niceCeiling(most);
  const scale = (height - bottom - top) / ceiling;
  const slot = (width - left) / Math.max(1, buckets.length);
  const barWidth = Math.max(2, Math.min(28, slot * 0.7));
  const labelEvery = Math.ceil(buckets.length / Math.max(1, Math.floor((width - left) / 64)));
  const ticks = [0, ceiling / 2, ceiling].filter((tick, i, all) => Number.isInteger(tick) && all.indexOf(tick) === i);
  return svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-labelledby": summaryId },
    ticks.map((tick) => {
      const y = height - bottom - tick * scale;
      return [
        svg("line", { x1: left, x2: width, y1: y, y2: y, class: tick ? "grid" : "axis" }),
        svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, String(tick)),
      ];
    }),
    buckets.map((bucket, i) => {
      const x = left + i * slot + (slot - barWidth) / 2;
      const count = sum(bucket.counts);
      return svg(
        "g",
        { class: "bucket" },
        svg("title", {}, `${bucketLabel(bucket.start, step, true)}: ${count ? countsText(bucket.counts) : "no deliveries"}`),
        // A full-height hit area, so the tooltip shows over short bars too.
        svg("rect", { x: left + i * slot, y: top, width: slot, height: height - bottom - top, class: "hit" }),
        stack(bucket.counts, { x, width: barWidth, bottom: height - bottom, scale }),
        i % labelEvery === 0
          ? svg("text", { x: x + barWidth / 2, y: height - 5, "text-anchor": "middle", class: "tick" }, bucketLabel(bucket.start, step))
          : null,
      );
    }),
  );
}

/** 1, 2, 5, 10, 20, 50…: an axis top at or above `value` that halves into whole numbers. */
function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const nice = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= value) ?? 10 * magnitude;
  return nice === 1 ? 2 : nice;
}
