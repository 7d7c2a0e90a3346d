// live.js: the live page of `apr serve` (GET /): a form, then one POST /v1/chat/completions per method with
// stream: true and the "apr_view" extension, read as server-sent events through fetch (EventSource cannot
// POST). Each call start / end event redraws the run (running bars grow with the page's clock); the last
// event carries the whole record, drawn by view.js as `apr view` draws it. Both methods run at once for the
// side-by-side comparison. Talks only to the server that served it.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const { el, fmt, words } = AprView;
  let served = [];

  fetch("/v1/models").then(r => r.json()).then(m => {
    served = m.data.map(d => d.id);
    $("models").textContent = "models served: " + served.join(", ") +
      (served.includes("sosp") ? "" : " (start apr serve with --sosp-model models/sosp to compare with SoS+)");
  }).catch(e => { $("error").textContent = "cannot list the models: " + e; });

  $("random").addEventListener("click", async () => {
    const seed = Math.floor(Math.random() * 1e9);
    const r = await fetch("/view/problem?seed=" + seed);
    const p = await r.json();
    $("target").value = p.target;
    $("nums").value = p.nums.join(", ");
  });

  $("controls").addEventListener("submit", ev => {
    ev.preventDefault();
    $("error").textContent = "";
    $("compare").replaceChildren();
    const method = $("method").value, methods = method === "both" ? ["apr", "sosp"] : [method];
    const missing = methods.filter(m => served.length && !served.includes(m));
    if (missing.length) { $("error").textContent = `model ${missing.join(", ")} is not served by this server`; return; }
    const nums = $("nums").value.split(/[\s,]+/).filter(s => s.length).map(Number);
    const body = { target: Number($("target").value), nums };
    $("runs").replaceChildren();
    const runs = methods.map(m => solve(m, body));
    if (runs.length > 1) Promise.all(runs).then(recs => compare(recs.filter(r => r)));
  });

  async function solve(model, problem) {
    const panel = el("div", { class: "run", "data-method": model, "data-done": "false" });
    $("runs").append(panel);
    const request = {
      model, stream: true, apr_view: true,
      messages: [{ role: "user", content: JSON.stringify(problem) }],
      temperature: Number($("temperature").value || 0), seed: Number($("seed").value || 0),
    };
    if ($("budget").value) request.max_tokens = Number($("budget").value);
    const rec = { live: true, method: model, target: problem.target, nums: problem.nums, threads: [], thread_count: 0, max_step: null };
    const t0 = performance.now();
    let pending = false, final = null;
    const draw = () => {
      pending = false;
      if (final) return;
      rec.thread_count = new Set(rec.threads.map(c => c.thread)).size;
      AprView.render(panel, rec, { now: performance.now() - t0 });
    };
    const redraw = () => { if (!pending) { pending = true; requestAnimationFrame(draw); } };
    const tick = setInterval(redraw, 200);
    try {
      const response = await fetch("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
      if (!response.ok) {
        const e = await response.json().catch(() => ({}));
        throw new Error((e.error && e.error.message) || `HTTP ${response.status}`);
      }
      const reader = response.body.getReader(), decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          for (const line of event.split("\n")) {
            if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
            const chunk = JSON.parse(line.slice(6));
            if (chunk.error) throw new Error(chunk.error.message);
            const e = chunk.apr_event;
            if (e && e.type === "call_start") {
              rec.threads.push({ thread: e.thread, parent: e.parent, call: e.call, node: e.node, outcome: "running", start_ms: performance.now() - t0, end_ms: null, start_step: rec.max_step, end_step: null }); // the step it starts at is known only at its end
            } else if (e && e.type === "call_end" && e.record) {
              const i = rec.threads.findIndex(c => c.thread === e.thread && c.call === e.call);
              if (i >= 0) rec.threads[i] = e.record; else rec.threads.push(e.record);
              rec.max_step = Math.max(rec.max_step ?? 0, e.record.end_step);
            }
            for (const choice of chunk.choices || []) if (choice.apr) final = choice.apr;
          }
          redraw();
        }
      }
      if (!final) throw new Error("the stream ended without a record");
      AprView.render(panel, final);
      panel.setAttribute("data-done", "true");
      return final;
    } catch (e) {
      panel.append(el("div", { class: "error" }, `${model}: ${e.message || e}`));
      panel.setAttribute("data-done", "error");
      return null;
    } finally {
      clearInterval(tick);
    }
  }

  function compare(recs) {
    if (recs.length < 2) return;
    const table = el("table", { class: "compare" }, el("tr", {}, el("th", { class: "l" }, ""), ...recs.map(r => el("th", {}, r.method === "apr" ? "APR" : "SoS+"))));
    const row = (k, f) => table.append(el("tr", {}, el("td", { class: "l" }, k), ...recs.map(r => el("td", {}, f(r)))));
    row("outcome", r => words(r.outcome));
    row("verified", r => r.correct ? "yes" : "no");
    row("total tokens", r => fmt(r.total_tokens));
    row("sequential tokens", r => fmt(r.sequential_tokens));
    row("speed-up (total / seq.)", r => r.sequential_tokens ? fmt(r.total_tokens / r.sequential_tokens, 2) + "x" : "-");
    row("latency", r => fmt(r.latency_ms) + " ms");
    row("threads", r => fmt(r.thread_count));
    $("compare").replaceChildren(el("h2", {}, "side by side"), table);
  }
})();
