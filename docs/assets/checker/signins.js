// The "Check your sign-in logs" page (ES module, loaded by boot.js where #signins appears).
// Files are read in slices and fed to the checker's Python worker one slice at a time (the same
// worker and reader as `python -m checker signins`), so a 100 MB download never sits in memory
// twice. Everything from the logs is put into the page as text only (textContent, text nodes).
import { el } from "./dom.mjs";
import { copy, STAGES } from "./checker.js";

const CHUNK = 1 << 20; // bytes per request: small enough for progress, large enough to be quick
const SVG = "http://www.w3.org/2000/svg";
const fmt = new Intl.NumberFormat("en");

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  for (const c of children) node.append(typeof c === "string" ? document.createTextNode(c) : c);
  return node;
}

const list = (values) => (values.length ? values.join(", ") : "none named");
const day = (iso) => (iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "no time in this shape");
// "SigninsError: name: why" from the worker: the user needs only "name: why".
const why = (err) => String(err.message || err).replace(/^[A-Za-z.]*Error: /, "");

// Per-day stacked bars, one colour per finding; drawn with DOM calls (no library, CSP-safe).
// The table after it carries the same numbers for screen readers and keyboard users.
function chart(result, titles) {
  const days = result.per_day;
  const findings = result.groups.map((g) => g.finding);
  const max = Math.max(1, ...days.map((d) => Object.values(d.findings).reduce((a, b) => a + b, 0)));
  const H = 220, left = 40, bottom = 40, top = 10;
  // Bars fill the width when there are many days, and keep a readable width when there are few.
  const bw = Math.max(4, Math.min(64, (640 - left - 10) / Math.max(1, days.length) - 6));
  const W = Math.max(320, left + 16 + days.length * (bw + 6));
  const y = (n) => top + (H - top - bottom) * (1 - n / max);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "fs-chart", "aria-hidden": "true", focusable: "false" });
  root.append(svg("line", { x1: left, x2: W - 5, y1: y(0), y2: y(0), class: "fs-axis" }));
  root.append(svg("text", { x: left - 6, y: y(max) + 4, "text-anchor": "end", class: "fs-tick" }, fmt.format(max)));
  root.append(svg("text", { x: left - 6, y: y(0) + 4, "text-anchor": "end", class: "fs-tick" }, "0"));
  days.forEach((d, i) => {
    const x = left + 6 + i * (bw + 6);
    let base = 0;
    for (const f of findings) {
      const n = d.findings[f] || 0;
      if (!n) continue;
      root.append(svg("rect", { x, width: bw, y: y(base + n), height: y(base) - y(base + n),
        class: `fs-bar fs-c${findings.indexOf(f) % 6}` }, svg("title", null, `${d.day}: ${n} ${titles(f)}`)));
      base += n;
    }
    if (days.length <= 16 || i % Math.ceil(days.length / 16) === 0) {
      root.append(svg("text", { x: x + bw / 2, y: H - bottom + 16, "text-anchor": "middle", class: "fs-tick" }, d.day.slice(5)));
    }
  });
  const legend = el("ul", { className: "fs-legend" }, findings.map((f, i) =>
    el("li", null, el("span", { className: `fs-swatch fs-c${i % 6}` }), titles(f))));
  const table = el("table", { className: "fs-table" },
    el("caption", null, "Flow failures per day, by problem"),
    el("thead", null, el("tr", null, el("th", { scope: "col" }, "Day (UTC)"),
      findings.map((f) => el("th", { scope: "col" }, titles(f))), el("th", { scope: "col" }, "Total"))),
    el("tbody", null, days.map((d) => el("tr", null, el("th", { scope: "row" }, d.day),
      findings.map((f) => el("td", null, fmt.format(d.findings[f] || 0))),
      el("td", null, fmt.format(Object.values(d.findings).reduce((a, b) => a + b, 0)))))));
  return el("figure", { className: "fs-figure" }, root, legend,
    el("details", null, el("summary", null, "The numbers as a table"), table));
}

// The report to paste into a ticket: users become "user 1", "user 2"… unless asked otherwise.
export function reportText(result, findings, { names = false, pageUrl = "" } = {}) {
  const alias = new Map();
  const who = (u) => {
    if (names) return u;
    if (!alias.has(u)) alias.set(u, `user ${alias.size + 1}`);
    return alias.get(u);
  };
  const lines = [
    "Sign-in log check (Flow Access Guide)" + (pageUrl ? ` ${pageUrl}` : ""),
    ...result.files.map((f) => `${f.name}: ${f.format}, ${f.rows} sign-ins`),
    `${result.signins} sign-ins read, ${result.flow_signins} flow sign-ins: ${result.flow_failures} flow failures ` +
      `(${result.users} users), ${result.would_fail} would fail once report-only policies are on.`,
  ];
  result.groups.forEach((g, i) => {
    const f = findings[g.finding] || { title: g.finding, fix: [], page: "" };
    lines.push("", `${i + 1}. ${f.title}: ${g.count} failures, ${g.users} users, ${day(g.first)} to ${day(g.last)}`,
      `   codes: ${g.codes.map((c) => "AADSTS" + c).join(", ")}`, `   policies: ${list(g.policies)}`,
      `   apps: ${list(g.apps)}; resources: ${list(g.resources)}`);
    if (f.fix.length) lines.push(`   fix: ${f.fix[0].replaceAll("**", "")}`);
  });
  if (result.busiest_users.length) {
    lines.push("", "Busiest users: " + result.busiest_users.map((u) => `${who(u.user)} (${u.count})`).join(", "));
  }
  if (result.would_fail_policies.length) {
    lines.push("Report-only policies that would fail flow sign-ins: " +
      result.would_fail_policies.map((p) => `${p.policy} (${p.count})`).join(", "));
  }
  return lines.join("\n");
}

function groupCard(g, f, index) {
  const rows = [
    ["Failures", `${fmt.format(g.count)} sign-ins, ${fmt.format(g.users)} users`],
    ["Codes", g.codes.map((c) => "AADSTS" + c).join(", ")],
    ["Policies that failed", list(g.policies)],
    ["Applications", list(g.apps)],
    ["Resources", list(g.resources)],
    ["First and last seen", `${day(g.first)} to ${day(g.last)}`],
  ];
  const li = el("li", { className: "fc-card" },
    el("h3", null, `${index + 1}. ${f.title}`),
    el("p", null, f.summary),
    el("dl", { className: "fs-facts" }, rows.map(([k, v]) => [el("dt", null, k), el("dd", null, v)])),
    f.fix.length ? [el("h4", null, "The fix"), el("ol", null, f.fix.map((step) => el("li", null, step.replaceAll("**", ""))))] : null,
    el("p", null, el("a", { href: new URL(`../${f.page}`, location.href).href }, "The whole page on this problem")));
  li.dataset.group = g.finding;
  return li;
}

function render(box, result, findings, onCopy) {
  const title = (id) => (findings[id] ? findings[id].title : id);
  const summary = el("p", { className: "fs-summary" },
    el("strong", null, `${fmt.format(result.flow_failures)} flow failures`),
    ` among ${fmt.format(result.signins)} sign-ins (${fmt.format(result.flow_signins)} of them flow sign-ins), ` +
    `${fmt.format(result.users)} users; ${fmt.format(result.would_fail)} flow sign-ins would fail once report-only policies are on.`);
  summary.dataset.flowFailures = String(result.flow_failures);
  summary.dataset.wouldFail = String(result.would_fail);
  const parts = [
    summary,
    el("ul", { className: "fs-files" }, result.files.map((f) => el("li", null, `${f.name}: ${f.format}, ${fmt.format(f.rows)} sign-ins`))),
    result.notices.map((n) => el("p", { className: "fc-notice" }, n)),
  ];
  if (result.groups.length) {
    if (result.per_day.length) parts.push(el("h2", null, "Flow failures per day"), chart(result, title));
    parts.push(el("h2", null, "By problem"), el("ol", { className: "fc-cards" }, result.groups.map((g, i) =>
      groupCard(g, findings[g.finding] || { title: g.finding, summary: "", fix: [], page: "problems/" }, i))));
  } else {
    parts.push(el("p", { className: "fc-notice" }, "No flow sign-in in these files failed because of conditional access, MFA or a token lifetime."));
  }
  if (result.busiest_users.length) {
    parts.push(el("h2", null, "Busiest users"), el("ol", null, result.busiest_users.map((u) =>
      el("li", null, `${u.user}: ${fmt.format(u.count)}`))));
  }
  if (result.would_fail_policies.length) {
    parts.push(el("h2", null, "Would fail: report-only policies"), el("ul", null, result.would_fail_policies.map((p) =>
      el("li", null, `${p.policy}: ${fmt.format(p.count)} flow sign-ins`))));
  }
  const status = el("p", { className: "fc-share__status", role: "status" });
  const keep = el("input", { type: "checkbox", id: "signins-names" });
  parts.push(
    el("div", { className: "fc-share" },
      el("button", { type: "button", className: "md-button", onclick: () => onCopy("report", keep.checked, status) }, "Copy report"),
      el("label", { className: "fc-check" }, keep, " Keep user names in the report"), status),
    queryBlock(result.kql, () => onCopy("kql", false, status)));
  box.replaceChildren(...parts.flat());
}

// The KQL with its copy button: after an analysis, or alone for tenants without a file.
function queryBlock(kql, onCopy, status = null) {
  // Focusable, so the query can be scrolled from the keyboard.
  const code = el("code", { tabIndex: 0 }, kql);
  code.setAttribute("aria-label", "KQL query");
  return el("div", { className: "fs-query-block" },
    el("h2", null, "The same search in Log Analytics"),
    el("p", null, "For tenants whose logs outgrow a download: run this in Log Analytics or Microsoft Sentinel (the SigninLogs and AADNonInteractiveUserSignInLogs tables)."),
    el("button", { type: "button", className: "md-button", onclick: onCopy }, "Copy the query"),
    status, el("pre", { className: "fs-kql" }, code));
}

export function mount(root, api) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "1";
  const $ = (sel) => root.querySelector(sel);
  const input = $("#signins-file");
  const drop = $("#signins-drop");
  const results = $("#signins-results");
  const status = $(".fc-status__text");
  const progress = $(".fc-progress");
  const reading = $(".fs-reading");
  const bar = $(".fs-reading__bar");
  const readingText = $(".fs-reading__text");
  let findings = null;
  let run = 0;
  let cancelled = 0;

  const unsubscribe = api.subscribe((s) => {
    if (!root.isConnected) return unsubscribe && unsubscribe();
    if (s.state === "error") return api.showError(root, s.error);
    if (root.dataset.state === "loading" || !root.dataset.state) root.dataset.state = s.state === "ready" ? "ready" : "loading";
    if (s.state === "ready") {
      status.textContent = "Ready. Files are read in this tab: nothing leaves your computer.";
      progress.hidden = true;
    } else {
      status.textContent = `Getting the checker ready (step ${s.step} of ${s.of}: ${STAGES[s.stage] || "starting"}). You can choose files now.`;
      progress.max = s.of;
      progress.value = Math.max(0, s.step - 1);
    }
  });

  const call = (op, extra = {}) => api.run("signins", { op, ...extra });

  async function analyse(files) {
    if (!files.length) return;
    const mine = ++run;
    root.dataset.state = "reading";
    results.setAttribute("aria-busy", "true");
    results.replaceChildren();
    reading.hidden = false;
    const total = files.reduce((n, f) => n + f.size, 0) || 1;
    let done = 0;
    try {
      findings = findings || await call("findings");
      await call("start");
      for (const file of files) {
        await call("begin", { name: file.name });
        for (let at = 0; at < file.size; at += CHUNK) {
          if (cancelled >= mine) throw new Error("cancelled");
          const bytes = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
          const rows = await call("feed", { bytes });
          done += bytes.length;
          bar.value = done / total;
          readingText.textContent = `Reading ${file.name}: ${fmt.format(rows)} sign-ins so far (${Math.round((100 * done) / total)}%)`;
        }
        await call("end");
      }
      const result = await call("result");
      if (mine !== run) return;
      root.signinsResult = result; // for tests and the page's own copy buttons
      render(results, result, findings, async (what, names, box) => {
        const text = what === "kql" ? result.kql : reportText(result, findings, { names, pageUrl: location.href.split("#")[0] });
        if (await copy(text, box, what === "kql" ? "The query" : "The report")) {
          box.textContent = what === "kql" ? "Query copied." : names ? "Report copied, with user names." : "Report copied; users are shown as user 1, user 2…";
        }
      });
      root.dataset.state = "done";
    } catch (err) {
      if (mine !== run) return;
      const stopped = String(err.message) === "cancelled";
      results.replaceChildren(el("p", { className: "fc-notice", role: "alert" },
        stopped ? "Cancelled: nothing was counted. Choose the files again to start over." : `This file cannot be read, so nothing was counted: ${why(err)}`));
      root.dataset.state = stopped ? "cancelled" : "refused";
    } finally {
      if (mine === run) {
        reading.hidden = true;
        results.setAttribute("aria-busy", "false");
      }
    }
  }

  const queryBox = $(".fs-query");
  $("[data-action=show-kql]").addEventListener("click", async () => {
    const status = el("p", { className: "fc-share__status", role: "status" });
    try {
      const kql = await call("kql");
      queryBox.replaceChildren(queryBlock(kql, async () => {
        if (await copy(kql, status, "The query")) status.textContent = "Query copied.";
      }, status));
    } catch (err) {
      queryBox.replaceChildren(el("p", { className: "fc-notice", role: "alert" }, `The query could not be made: ${why(err)}`));
    }
    queryBox.hidden = false;
  });

  input.addEventListener("change", () => analyse([...input.files]));
  $("[data-action=cancel]").addEventListener("click", () => { cancelled = run; });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("fs-drop--over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("fs-drop--over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("fs-drop--over");
    analyse([...e.dataTransfer.files]);
  });
}
