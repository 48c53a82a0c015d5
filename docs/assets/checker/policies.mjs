// "Check your policies" (ES module, loaded by boot.js on pages that hold #policies).
// Files are read as bytes and sent base64-encoded to the checker's worker, so Python decodes them
// exactly as `python -m checker policies FILE --json` does (UTF-8, BOMs, UTF-16). The worker's
// answer is that command's JSON. Everything from the files is put in the page as text only.
import { el } from "./dom.mjs";

const plain = (text) => String(text).replaceAll("**", "");
const EFFECTS = {
  breaks: "Breaks flows",
  "would-break": "Would break flows once turned on",
  none: "Does not affect flows",
};

function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function readFiles(files) {
  return Promise.all([...files].map(async (f) => ({ name: f.name, base64: toBase64(await f.arrayBuffer()) })));
}

// ---------------------------------------------------------------------------------------------
// The report in the page: counts, the matrix, the accounts spared everywhere, a card per policy.

function matrixTable(report) {
  const cols = report.matrix.findings;
  if (!cols.length) return null;
  const head = el("tr", null, el("th", { scope: "col" }, "Policy"), el("th", { scope: "col" }, "Effect"),
    cols.map((c) => el("th", { scope: "col", title: c.title }, c.title)));
  const rows = report.matrix.rows.map((row) => el("tr", null,
    el("th", { scope: "row" }, row.name), el("td", null, EFFECTS[row.effect]),
    cols.map((c) => el("td", null, row.findings.includes(c.id) ? "✔" : ""))));
  // The wrapper scrolls a wide table; it takes focus so the keyboard can scroll it too.
  const wrap = el("div", { className: "fc-matrix", tabIndex: 0 },
    el("table", { className: "fc-matrix__table" }, el("caption", null, "Policies by problem"),
      el("thead", null, head), el("tbody", null, rows)));
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", "Policies by problem");
  return wrap;
}

function list(items) {
  return items.length ? el("ul", null, items.map((t) => el("li", null, t))) : null;
}

function card(policy, index, pageBase) {
  const node = el("article", { className: "fc-card fc-policy" });
  node.dataset.policy = String(index);
  node.dataset.effect = policy.effect;
  node.append(
    el("h3", null, policy.name),
    el("p", { className: "fc-effect" }, el("strong", null, EFFECTS[policy.effect]), ` (state: ${policy.state})`),
    el("p", null, policy.summary),
  );
  const who = policy.who;
  if (who.include.length) {
    node.append(el("p", null, el("strong", null, "Applies to: "), who.include.join(", "),
      who.exclude.length ? `; excluded (flows they own are spared): ${who.exclude.join(", ")}` : ""));
  }
  const apps = policy.applications;
  if (apps.include.length) {
    node.append(el("p", null, el("strong", null, "Targets: "),
      apps.include.map((a) => (a.what && a.name !== a.what ? `${a.name} (${a.what})` : a.name)).join("; "),
      apps.exclude.length ? `; except ${apps.exclude.map((a) => a.name).join(", ")}` : ""));
  }
  if (policy.reaches.length) node.append(el("p", null, el("strong", null, "Reaches: "), policy.reaches.join("; ")));
  if (policy.conditions.length) node.append(el("p", null, el("strong", null, "Only: "), policy.conditions.join("; ")));
  if (policy.findings.length) {
    node.append(el("ul", { className: "fc-policy-findings" }, policy.findings.map((f) => {
      const link = el("a", { href: new URL(f.page, pageBase).href }, f.title);
      const li = el("li", null, link, ` (${f.confidence_label})`, list(f.why),
        f.settings.length ? el("p", { className: "fc-settings" }, "Settings: ", f.settings.join("; ")) : null);
      li.dataset.finding = f.id;
      return li;
    })));
  }
  if (policy.spare.length) node.append(el("p", null, el("strong", null, "To spare flows")), list(policy.spare));
  if (policy.other_settings.length) node.append(el("p", null, el("strong", null, "Also set")), list(policy.other_settings));
  if (policy.notices.length) node.append(el("p", null, el("strong", null, "Notes")), list(policy.notices));
  return node;
}

function render(box, report, pageBase) {
  const c = report.counts;
  const parts = [el("h2", null, "Your policies"),
    el("p", { className: "fc-summary" }, `${report.policies.length} ${report.policies.length === 1 ? "policy" : "policies"}: `
      + `${c.breaks} break flows, ${c["would-break"]} would break them once turned on, ${c.none} do not affect them.`)];
  parts.push(matrixTable(report));
  if (report.excluded_everywhere.length) {
    parts.push(el("p", null, el("strong", null, "Excluded from every policy that breaks flows: "),
      report.excluded_everywhere.join(", ")));
  }
  parts.push(report.policies.map((p, i) => card(p, i, pageBase)));
  if (report.notices.length) parts.push(el("h3", null, "Notes"), list(report.notices));
  box.replaceChildren(...parts.flat().filter(Boolean));
}

// The same report as Markdown, for a ticket or an e-mail.
export function markdown(report) {
  const out = ["# Conditional access policies and Power Automate", ""];
  const c = report.counts;
  out.push(`${report.policies.length} policies: ${c.breaks} break flows, ${c["would-break"]} would break them once turned on, ${c.none} do not affect them.`);
  const cols = report.matrix.findings;
  const cell = (t) => String(t).replaceAll("|", "\\|").replace(/\s+/g, " ");
  if (cols.length) {
    out.push("", `| Policy | Effect | ${cols.map((x) => cell(x.title)).join(" | ")} |`, `|---|---|${"---|".repeat(cols.length)}`);
    for (const row of report.matrix.rows) {
      out.push(`| ${cell(row.name)} | ${row.effect} | ${cols.map((x) => (row.findings.includes(x.id) ? "x" : "")).join(" | ")} |`);
    }
  }
  if (report.excluded_everywhere.length) out.push("", `Excluded from every policy that breaks flows: ${report.excluded_everywhere.join(", ")}`);
  for (const p of report.policies) {
    out.push("", `## ${p.name}`, "", `**${EFFECTS[p.effect]}** (state: ${p.state}). ${p.summary}`);
    if (p.who.include.length) out.push(`- Applies to: ${p.who.include.join(", ")}${p.who.exclude.length ? `; excluded: ${p.who.exclude.join(", ")}` : ""}`);
    if (p.reaches.length) out.push(`- Reaches: ${p.reaches.join("; ")}`);
    if (p.conditions.length) out.push(`- Only: ${p.conditions.join("; ")}`);
    for (const f of p.findings) {
      out.push(`- **${f.title}** (${f.confidence_label})`);
      for (const why of f.why) out.push(`  - ${plain(why)}`);
      if (f.settings.length) out.push(`  - Settings: ${f.settings.join("; ")}`);
    }
    if (p.spare.length) out.push("", "To spare flows:", ...p.spare.map((s) => `- ${s}`));
  }
  if (report.notices.length) out.push("", "## Notes", "", ...report.notices.map((n) => `- ${n}`));
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------

export function mount(root, api) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "yes";
  const q = (sel) => root.querySelector(sel);
  const input = q("#policies-input");
  const picker = q("#policies-file");
  const drop = q(".fc-drop");
  const results = q("#policies-results");
  const share = q(".fc-share");
  const shareStatus = q(".fc-share__status");
  const status = q(".fc-status__text");
  const pageBase = new URL("../", location.href).href; // the site root: this page is /policies/
  let chosen = [];

  const unsubscribe = api.subscribe((s) => {
    if (s.state === "error") {
      api.showError(root, s.error);
      unsubscribe && unsubscribe();
      return;
    }
    root.dataset.state = s.state === "ready" ? "ready" : "loading";
    if (status) status.textContent = s.state === "ready" ? "Ready: add files or paste a policy." : "Preparing the checker…";
  });

  async function runCheck() {
    results.setAttribute("aria-busy", "true");
    try {
      const files = await readFiles(chosen);
      if (input.value.trim()) files.push({ name: "pasted text", text: input.value });
      if (!files.length) {
        results.replaceChildren(el("p", { className: "fc-notice" }, "Add policy files or paste a policy first."));
        root.lastReport = null;
        share.hidden = true;
        return;
      }
      const started = performance.now();
      const report = await api.run("policies", { files });
      root.lastReport = report;
      root.lastMs = performance.now() - started;
      render(results, report, pageBase);
      share.hidden = false;
      shareStatus.textContent = "";
    } catch (err) {
      results.replaceChildren(el("p", { className: "fc-notice" }, `The check failed: ${err.message}`));
    } finally {
      results.setAttribute("aria-busy", "false");
    }
  }

  function choose(files) {
    chosen = [...files];
    q(".fc-drop__files").textContent = chosen.length ? chosen.map((f) => f.name).join(", ") : "";
    runCheck();
  }

  q("#policies-form").addEventListener("submit", (e) => { e.preventDefault(); runCheck(); });
  picker.addEventListener("change", () => choose(picker.files));
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("fc-drop--over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("fc-drop--over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("fc-drop--over");
    if (e.dataTransfer && e.dataTransfer.files.length) choose(e.dataTransfer.files);
  });
  q("[data-action=copy-report]").addEventListener("click", async () => {
    if (!root.lastReport) return;
    try {
      await navigator.clipboard.writeText(markdown(root.lastReport));
      shareStatus.textContent = "Report copied as Markdown.";
    } catch {
      shareStatus.textContent = "The browser did not allow copying; select the report and copy it by hand.";
    }
  });
}
