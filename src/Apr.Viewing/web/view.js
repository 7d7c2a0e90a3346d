// view.js: draws one solved (or solving) problem: summary cards, the answer and its verification, the
// spawn/join tree beside a Gantt timeline (one bar per thread call, by wall-clock ms or by engine step;
// the critical path outlined; colour = outcome), the per-call token table, and a clicked call's prompt
// and completion with the tokens the model chose marked apart from those the grammar inserted.
// Shared by the live page (apr serve, GET /) and the offline file (apr view): one source, no library,
// plain DOM and SVG. Records are untrusted input: every string reaches the page through textContent or
// an attribute, never through innerHTML. It does not fetch anything.
"use strict";
const AprView = (() => {
  const NS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
    for (const c of children) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // Outcome -> colour class (view.css): the runtime's outcomes in six groups.
  const LIMITS = ["context_limit", "token_limit", "time_limit", "spawn_limit", "child_limit"];
  const FAILED = ["malformed", "forbidden_join_block", "cut_off"];
  function outcomeClass(o) {
    if (o === "solved" || o === "spawned" || o === "no_solution" || o === "cancelled" || o === "running") return "o-" + o;
    if (LIMITS.includes(o)) return "o-limit";
    if (FAILED.includes(o)) return "o-failed";
    return "o-failed";
  }
  const words = o => String(o).replace(/_/g, " ");

  // Thread ids are "0", "0.3", "0.3.1": children are numbered in spawn order, so ordering ids segment by
  // segment (numerically) is the depth-first order of the spawn/join tree.
  function compareIds(a, b) {
    const x = a.split(".").map(Number), y = b.split(".").map(Number);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }

  function rowsOf(calls) {
    const byThread = new Map();
    for (const c of calls) {
      if (!byThread.has(c.thread)) byThread.set(c.thread, []);
      byThread.get(c.thread).push(c);
    }
    return [...byThread.keys()].sort(compareIds).map(t => {
      const own = byThread.get(t).sort((a, b) => a.call - b.call);
      return { thread: t, parent: own[0].parent, level: t.split(".").length - 1, node: own[0].node, calls: own };
    });
  }

  const fmt = (n, d = 0) => n === null || n === undefined || Number.isNaN(n) ? "-" : Number(n).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

  function card(k, v, key) { return el("div", { class: "card", "data-card": key }, el("div", { class: "v" }, v), el("div", { class: "k" }, k)); }

  /** The summary cards of one record: total and sequential tokens, speed-up = total / sequential, children, spawns, latency. */
  function cards(rec) {
    const speedup = rec.sequential_tokens > 0 ? rec.total_tokens / rec.sequential_tokens : null;
    return el("div", { class: "cards" },
      card("total tokens", fmt(rec.total_tokens), "total"),
      card("sequential tokens", fmt(rec.sequential_tokens), "sequential"),
      card("speed-up (total / seq.)", speedup === null ? "-" : fmt(speedup, 2) + "x", "speedup"),
      card("children", fmt(rec.children), "children"),
      card("spawns", fmt(rec.spawns), "spawns"),
      card("threads", fmt(rec.thread_count), "threads"),
      card("latency", rec.latency_ms === null || rec.latency_ms === undefined ? "-" : fmt(rec.latency_ms) + " ms", "latency"),
      card("engine steps", fmt(rec.steps), "steps"));
  }

  /** The answer's operations and the strict verifier's judgment (as the record states it). */
  function answer(rec) {
    const box = el("div", { class: "answer" });
    if (rec.live) { box.append("solving... ", el("span", { class: "badge live" }, "live")); return box; }
    if (rec.answer && rec.answer.length) {
      box.append("answer: ", el("span", { class: "ops" }, rec.answer.join(", ")));
      box.append(rec.correct ? el("span", { class: "badge ok", "data-verified": "true" }, "verified")
                             : el("span", { class: "badge bad", "data-verified": "false" }, "not verified: " + (rec.verify_error || "")));
    } else {
      box.append("no answer ", el("span", { class: "badge bad", "data-verified": "false" }, words(rec.outcome)));
    }
    return box;
  }

  function legend() {
    const items = [["o-solved", "solved"], ["o-spawned", "spawned children (then joined)"], ["o-no_solution", "no solution"],
      ["o-limit", "stopped by a limit"], ["o-failed", "malformed / cut off"], ["o-cancelled", "cancelled"], ["o-running", "running"]];
    const box = el("div", { class: "legend" });
    for (const [c, t] of items) box.append(el("span", {}, el("span", { class: "sw " + c }), t));
    box.append(el("span", {}, el("span", { class: "sw crit" }), "critical path (the sequential tokens)"));
    return box;
  }

  /** The spawn/join tree (left) and the timeline (right) in one SVG: one row per thread, one bar per call. */
  function chart(rec, axis, onPick, now) {
    const rows = rowsOf(rec.threads);
    const rowH = 20, labelW = 190, plotW = 640, top = 22, height = top + rows.length * rowH + 6;
    const isMs = axis === "ms";
    // Steps count the engine's steps (a server's engine is shared), so both axes start at the problem's first call.
    const known = rec.threads.map(c => isMs ? c.start_ms : c.start_step).filter(v => v !== null && v !== undefined);
    const min = known.length ? Math.min(...known) : 0;
    const start = c => (isMs ? c.start_ms : c.start_step) ?? min;
    const end = c => (isMs ? c.end_ms : c.end_step) ?? (isMs ? now ?? start(c) : Math.max(start(c), rec.max_step ?? start(c)));
    let max = min + 1;
    for (const c of rec.threads) max = Math.max(max, end(c), start(c));
    const x = v => labelW + ((v - min) / (max - min)) * plotW;
    const root = svg("svg", { class: "chart", width: labelW + plotW + 10, height, viewBox: `0 0 ${labelW + plotW + 10} ${height}`, "data-axis": axis });
    for (let i = 0; i <= 4; i++) {
      const v = min + (max - min) * i / 4, tx = x(v);
      root.append(svg("line", { class: "tick", x1: tx, x2: tx, y1: top - 4, y2: height }));
      root.append(svg("text", { x: tx, y: 12, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle" }, fmt(v - min) + (isMs ? " ms" : " steps")));
    }
    root.append(svg("text", { x: 0, y: 12 }, "thread  #node"));
    const yOf = new Map();
    rows.forEach((r, i) => yOf.set(r.thread, top + i * rowH));
    rows.forEach(r => {
      const y = yOf.get(r.thread), cx = 8 + r.level * 14;
      if (r.parent !== null && r.parent !== undefined && yOf.has(r.parent)) {
        const py = yOf.get(r.parent) + rowH / 2, px = 8 + (r.level - 1) * 14;
        root.append(svg("path", { class: "link", d: `M${px},${py} V${y + rowH / 2} H${cx}` }));
      }
      const last = r.calls[r.calls.length - 1];
      const label = svg("g", { class: "row-label tree-node", "data-thread": r.thread });
      label.append(svg("circle", { cx, cy: y + rowH / 2, r: 5, class: outcomeClass(last.outcome) }));
      label.append(svg("text", { x: cx + 9, y: y + rowH / 2 + 4 }, `${r.thread}  #${r.node}`));
      label.addEventListener("click", () => onPick(r.calls[0]));
      root.append(label);
      for (const c of r.calls) {
        const s = start(c), e = end(c);
        const bar = svg("rect", {
          class: `bar ${outcomeClass(c.outcome)}${c.critical ? " critical" : ""}`, x: x(s), y: y + 3,
          width: Math.max(3, x(e) - x(s)), height: rowH - 6, rx: 2, "data-thread": c.thread, "data-call": c.call,
        });
        bar.append(svg("title", {}, `thread ${c.thread} call ${c.call} at #${c.node}: ${words(c.outcome)}` +
          (c.completion_tokens !== undefined ? `, ${c.completion_tokens} tokens (${c.sampled_tokens} sampled)` : "") +
          (c.end_ms !== null && c.end_ms !== undefined ? `, ${fmt(c.start_ms)}-${fmt(c.end_ms)} ms, steps ${c.start_step}-${c.end_step}` : ", running")));
        bar.addEventListener("click", () => onPick(c));
        root.append(bar);
      }
    });
    return root;
  }

  /** One row per call: its tokens (prompt / inserted / sampled) and when it ran. */
  function callTable(rec, onPick) {
    const head = el("tr", {}, ...["thread", "call", "node", "outcome"].map(h => el("th", { class: "l" }, h)),
      ...["prompt", "inserted", "sampled", "start ms", "end ms", "steps"].map(h => el("th", {}, h)));
    const table = el("table", { class: "calls" }, head);
    for (const r of rowsOf(rec.threads)) for (const c of r.calls) {
      const tr = el("tr", { class: "clickable", "data-thread": c.thread, "data-call": c.call },
        el("td", { class: "l" }, c.thread), el("td", { class: "l" }, c.call), el("td", { class: "l" }, "#" + c.node),
        el("td", { class: "l" }, words(c.outcome) + (c.critical ? " *" : "")),
        el("td", {}, fmt(c.prompt_tokens)), el("td", {}, fmt(c.inserted_tokens)), el("td", {}, fmt(c.sampled_tokens)),
        el("td", {}, fmt(c.start_ms)), el("td", {}, fmt(c.end_ms)),
        el("td", {}, c.end_step === undefined || c.end_step === null ? "-" : `${c.start_step}-${c.end_step}`));
      tr.addEventListener("click", () => onPick(c));
      table.append(tr);
    }
    return table;
  }

  /** A call's prompt and completion; model-chosen tokens (sampled) marked, grammar-inserted ones plain. */
  function detail(rec, c) {
    const box = el("div", { class: "detail", "data-thread": c.thread, "data-call": c.call });
    box.append(el("h2", {}, `thread ${c.thread}, call ${c.call}, at node #${c.node}: ${words(c.outcome)}` + (c.detail ? ` (${c.detail})` : "")));
    box.append(el("div", { class: "note" }, `${fmt(c.prompt_tokens)} prompt tokens; completion ${fmt(c.completion_tokens)} tokens: ` +
      `${fmt(c.sampled_tokens)} chosen by the model (marked), ${fmt(c.inserted_tokens)} inserted by the grammar` + (c.critical ? "; on the critical path" : "")));
    if (!rec.texts_recorded) {
      box.append(el("p", { class: "note" }, "This record holds no text: write records with texts (apr solve --json --show-traces, or apr eval --traces) to see the prompt and completion."));
      return box;
    }
    box.append(el("div", { class: "note" }, "prompt"), el("pre", { class: "prompt" }, c.prompt || ""));
    const completion = el("pre", { class: "completion" });
    if (Array.isArray(c.marks)) {
      for (const [text, chosen] of c.marks) completion.append(chosen ? el("span", { class: "chosen" }, text) : el("span", { class: "inserted" }, text));
    } else {
      completion.append(c.completion || "");
      box.append(el("div", { class: "note" }, "chosen tokens cannot be marked for this call: " + (c.marks_note || "no token sources recorded")));
    }
    box.append(el("div", { class: "note" }, "completion"), completion);
    box.append(el("div", { class: "legend" }, el("span", {}, el("span", { class: "sw chosen" }), "a token the model chose"), el("span", {}, "plain: inserted by the grammar")));
    return box;
  }

  /**
   * Draws <rec> into <container> (emptied first): cards, answer, axis toggle, legend, tree + timeline,
   * the call table and, after a click, the call's text. opts.axis: "ms" (default) or "step";
   * opts.now: the current ms of a live run (for running bars). Returns the container.
   */
  function render(container, rec, opts) {
    opts = opts || {};
    const state = container.__aprView || (container.__aprView = { axis: opts.axis || "ms", picked: null });
    container.replaceChildren();
    const head = el("h2", {}, `${rec.method === "apr" ? "APR" : rec.method === "sosp" ? "SoS+" : rec.method}: reach ${rec.target} from [${(rec.nums || []).join(", ")}]` +
      (rec.id ? ` (${rec.id}${rec.sample ? ", sample " + rec.sample : ""})` : "") + (rec.budget ? `, budget ${fmt(rec.budget)}` : ""));
    container.append(head, cards(rec), answer(rec));
    const toggle = el("div", { class: "axis-toggle" }, "timeline by: ");
    for (const [a, t] of [["ms", "wall-clock ms"], ["step", "engine step"]]) {
      const b = el("button", { type: "button", "data-axis": a, disabled: state.axis === a ? "" : null }, t);
      b.addEventListener("click", () => { state.axis = a; render(container, rec, opts); });
      toggle.append(b);
    }
    container.append(toggle, legend());
    const pick = c => { state.picked = { thread: c.thread, call: c.call }; render(container, rec, opts); };
    const ch = chart(rec, state.axis, pick, opts.now);
    container.append(ch, callTable(rec, pick));
    if (state.picked) {
      const c = rec.threads.find(t => t.thread === state.picked.thread && t.call === state.picked.call);
      if (c) {
        for (const b of ch.querySelectorAll(`rect.bar`)) if (b.getAttribute("data-thread") === c.thread && b.getAttribute("data-call") === String(c.call)) b.classList.add("selected");
        container.append(detail(rec, c));
      }
    }
    return container;
  }

  /** Aggregate cards over many records (the offline list): problems, solved, mean tokens, speed-up, latency. */
  function aggregate(recs) {
    const n = recs.length, mean = f => n ? recs.reduce((s, r) => s + (f(r) ?? 0), 0) / n : null;
    const solved = recs.filter(r => r.correct).length;
    const timed = recs.filter(r => r.latency_ms !== null && r.latency_ms !== undefined);
    return el("div", { class: "cards" },
      card("problems", fmt(n), "problems"),
      card("solved", n ? `${fmt(solved)} (${fmt(100 * solved / n, 1)}%)` : "-", "solved"),
      card("mean total tokens", fmt(mean(r => r.total_tokens)), "total"),
      card("mean sequential tokens", fmt(mean(r => r.sequential_tokens)), "sequential"),
      card("mean speed-up", n ? fmt(mean(r => r.sequential_tokens > 0 ? r.total_tokens / r.sequential_tokens : 1), 2) + "x" : "-", "speedup"),
      card("mean children", fmt(mean(r => r.children), 1), "children"),
      card("mean latency", timed.length ? fmt(timed.reduce((s, r) => s + r.latency_ms, 0) / timed.length) + " ms" : "-", "latency"));
  }

  return { el, render, cards, aggregate, outcomeClass, rowsOf, compareIds, fmt, words };
})();
