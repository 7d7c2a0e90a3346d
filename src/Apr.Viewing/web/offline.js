// offline.js: the page `apr view` writes: the records are inlined as JSON (#apr-data); a filtered list of
// problems with aggregate cards over what the filters keep, and view.js's thread view of a clicked one.
// Needs no network: the file's Content-Security-Policy forbids every request.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const { el, fmt, words } = AprView;
  const data = JSON.parse($("apr-data").textContent);
  const recs = data.records;
  const LIMIT = 500;
  $("title").textContent = data.title;
  $("sources").textContent = `${recs.length} record(s) from ${data.sources.join(", ")}`;

  const budgetOf = r => r.budget === null || r.budget === undefined ? "none" : String(r.budget);
  function fill(id, values, label) {
    const s = $(id);
    s.append(el("option", { value: "" }, "all"));
    for (const v of [...new Set(values)].sort((a, b) => (Number(a) - Number(b)) || String(a).localeCompare(String(b)))) s.append(el("option", { value: v }, label ? label(v) : v));
    s.addEventListener("change", draw);
  }
  fill("f-method", recs.map(r => r.method), m => m === "apr" ? "APR" : m === "sosp" ? "SoS+" : m);
  fill("f-condition", recs.map(r => r.condition));
  fill("f-budget", recs.map(budgetOf));
  $("f-result").addEventListener("change", draw);

  let picked = recs.length === 1 ? 0 : -1; // a single record is shown at once
  function kept() {
    const m = $("f-method").value, c = $("f-condition").value, res = $("f-result").value, b = $("f-budget").value;
    return recs.map((r, i) => [r, i]).filter(([r]) => (!m || r.method === m) && (!c || r.condition === c) && (!b || budgetOf(r) === b) &&
      (!res || (res === "solved") === !!r.correct));
  }

  function draw() {
    const rows = kept();
    $("summary").replaceChildren(AprView.aggregate(rows.map(([r]) => r)));
    const table = el("table", { class: "problems" }, el("tr", {},
      ...["problem", "condition", "method", "budget", "outcome"].map(h => el("th", { class: "l" }, h)),
      ...["total", "sequential", "speed-up", "threads", "latency ms"].map(h => el("th", {}, h))));
    for (const [r, i] of rows.slice(0, LIMIT)) {
      const tr = el("tr", { class: "clickable" + (i === picked ? " selected" : ""), "data-index": i, "data-correct": String(!!r.correct) },
        el("td", { class: "l" }, `${r.id}${r.sample ? "/" + r.sample : ""}: ${r.target} from [${r.nums.join(", ")}]`),
        el("td", { class: "l" }, r.condition), el("td", { class: "l" }, r.method), el("td", { class: "l" }, budgetOf(r)),
        el("td", { class: "l" }, (r.correct ? "solved" : "failed") + (r.outcome !== "solved" ? ` (${words(r.outcome)})` : "")),
        el("td", {}, fmt(r.total_tokens)), el("td", {}, fmt(r.sequential_tokens)),
        el("td", {}, r.sequential_tokens ? fmt(r.total_tokens / r.sequential_tokens, 2) + "x" : "-"),
        el("td", {}, fmt(r.thread_count)), el("td", {}, fmt(r.latency_ms)));
      tr.addEventListener("click", () => { picked = i; draw(); });
      table.append(tr);
    }
    $("list").replaceChildren(table);
    $("shown").textContent = rows.length > LIMIT ? `showing the first ${LIMIT} of ${rows.length} problems: filter to narrow` : `${rows.length} problem(s)`;
    if (picked >= 0) {
      const panel = $("problem");
      if (panel.__aprIndex !== picked) { panel.__aprView = null; panel.__aprIndex = picked; }
      AprView.render(panel, recs[picked]);
    }
  }
  draw();
})();
