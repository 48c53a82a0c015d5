// The checker page's UI (ES module, loaded by boot.js on pages that hold #checker).
// Untrusted text (the paste, and anything the engine echoes from it) is only ever put into the
// page with textContent or text nodes; this file never assigns innerHTML.
import { el } from "./dom.mjs";
import { redact } from "./redact.mjs";
import { buildSetupFields, setupFromForm } from "./setup.mjs";

export const STAGES = {
  download: "Downloading the Python runtime (about 13 MB, kept in the browser cache afterwards)",
  start: "Starting Python in the background",
  checker: "Loading the checker and its knowledge base",
};


// Fix steps may carry **bold**; render it as <strong>, everything else as text.
function rich(text) {
  return String(text).split("**").map((part, i) => (i % 2 ? el("strong", null, part) : part));
}

const plain = (text) => String(text).replaceAll("**", "");

// Where the engine's evidence sits in the user's own text: [start, end] or null.
function locate(text, lower, needle) {
  const n = String(needle).trim();
  if (!n) return null;
  const at = lower.indexOf(n.toLowerCase());
  if (at >= 0 && n.length === n.toLowerCase().length) return [at, at + n.length];
  // Words matched word by word ("two factor" also matches "two-factor"): allow any separator.
  const words = n.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!words.length) return null;
  const m = new RegExp(words.join("[^\\p{L}\\p{N}]+"), "iu").exec(text);
  return m ? [m.index, m.index + m[0].length] : null;
}

const squash = (s) => s.replace(/\s+/g, " ");

// Short excerpts of the user's text with every match in <mark>: matches close together share
// one excerpt, so a sentence is shown once with all its marks rather than once per match.
function excerpts(text, spans) {
  const windows = [];
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = windows[windows.length - 1];
    if (last && start - 60 <= last.to) {
      last.to = Math.min(text.length, Math.max(last.to, end + 60));
      if (start >= last.marks[last.marks.length - 1][1]) last.marks.push([start, end]);
    } else {
      windows.push({ from: Math.max(0, start - 60), to: Math.min(text.length, end + 60), marks: [[start, end]] });
    }
  }
  return windows.slice(0, 3).map(({ from, to, marks }) => {
    const parts = [from > 0 ? "…" : ""];
    let at = from;
    for (const [start, end] of marks) {
      parts.push(squash(text.slice(at, start)), el("mark", null, squash(text.slice(start, end))));
      at = end;
    }
    parts.push(squash(text.slice(at, to)), to < text.length ? "…" : "");
    return el("blockquote", { className: "fc-excerpt" }, parts);
  });
}

function evidenceNodes(evidence, text) {
  if (!text) return [];
  const lower = text.toLowerCase();
  const spans = [];
  const unplaced = new Set();
  for (const item of evidence || []) {
    const span = locate(text, lower, item.text);
    if (span) spans.push(span);
    else unplaced.add(item.text.toLowerCase());
  }
  const out = excerpts(text, spans);
  for (const item of [...unplaced].slice(0, 2)) {
    out.push(el("p", { className: "fc-excerpt" }, "Matched: ", el("mark", null, item)));
  }
  return out;
}

const CONFIDENCE = {
  high: "High confidence: this is very likely your problem",
  medium: "Medium confidence: a likely match, check the details",
  low: "Low confidence: possible, but the text says little",
};

// Setup answers say whether a finding applies already or once the policy is on.
const WHEN = { now: "Applies now.", "on-rollout": "Will apply once the policy is turned on." };

function card(finding, text, h) {
  const excerpts = evidenceNodes(finding.evidence, text);
  return el("article", { className: "fc-card" },
    el(`h${h + 1}`, null, finding.title),
    el("p", { className: `fc-confidence fc-confidence--${finding.confidence_label}` },
      CONFIDENCE[finding.confidence_label] || `Confidence: ${finding.confidence_label}`),
    WHEN[finding.when] ? el("p", { className: "fc-when" }, WHEN[finding.when]) : null,
    el("p", null, finding.summary),
    finding.why.length ? [el("p", { className: "fc-label" }, "Why"), el("ul", null, finding.why.map((w) => el("li", null, w)))] : null,
    excerpts.length ? [el("p", { className: "fc-label" }, "In your text"), excerpts] : null,
    finding.fix.length ? [el("p", { className: "fc-label" }, "Fix it"), el("ol", null, finding.fix.map((s) => el("li", null, rich(s))))] : null,
    finding.fix_admin.length ? [el("p", { className: "fc-label" }, "If you are an admin"), el("ol", null, finding.fix_admin.map((s) => el("li", null, rich(s))))] : null,
    el("p", null, el("a", { href: "../" + finding.page }, `Read more: ${finding.title}`)),
  );
}

function codesBlock(codes, h) {
  if (!codes.length) return null;
  return el("div", { className: "fc-codes" },
    el(`h${h}`, null, codes.length === 1 ? "Recognised code" : "Recognised codes"),
    el("dl", null, codes.map((c) => [
      el("dt", null, `AADSTS${c.code}`, c.known ? ` (${c.condition_label})` : ""),
      el("dd", null, c.known ? c.meaning : "Not in the checker's list of codes; the findings below come from the rest of the text."),
    ])));
}

function questionBlock(question, chosen, onAnswer) {
  if (!question) return null;
  const label = el("p", { className: "fc-label", id: "checker-question" }, question.text);
  const group = el("div", { className: "fc-question" }, label,
    el("div", { className: "fc-options" }, question.options.map((o) => {
      const b = el("button", { type: "button", className: "md-button fc-option" }, o.label);
      b.dataset.option = o.id;
      b.setAttribute("aria-pressed", String(chosen === o.id));
      b.addEventListener("click", () => onAnswer(o.id));
      return b;
    })));
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", label.id);
  return group;
}

function noMatch(result, onSearch, h) {
  const search = el("button", { type: "button", className: "md-button" }, "Search the guide");
  search.addEventListener("click", onSearch);
  return el("div", { className: "fc-nomatch" },
    el(`h${h}`, null, "No known problem matched"),
    el("p", null, "The checker looked for: ", result.looked_for),
    el("p", null, "Try pasting the whole error, including any AADSTS code, or describe where the flow fails. ",
      "You can also search the guide, or browse ", el("a", { href: "../problems/" }, "all the problems it covers"), "."),
    search);
}

// Renders one answer into `box`. `text` is the user's text (for highlights); may be empty.
// `level` is the heading level of the answer's parts (finding titles go one below).
export function renderAnswer(box, result, text, { chosen = null, onAnswer = null, onSearch = null, level = 2 } = {}) {
  const findings = result.findings.map((f) => {
    const node = card(f, text, level);
    node.dataset.finding = f.id;
    return node;
  });
  box.replaceChildren(
    ...(result.notices || []).map((n) => el("p", { className: "fc-notice" }, n)),
    ...(findings.length ? [] : [noMatch(result, onSearch, level)]),
    ...[codesBlock(result.codes, level), onAnswer ? questionBlock(result.question, chosen, onAnswer) : null].filter(Boolean),
    ...(findings.length ? [el(`h${level}`, { className: "fc-visually-hidden" }, "What the checker found"), el("ol", { className: "fc-cards" }, findings.map((f) => el("li", null, f)))] : []),
  );
}

// The answer as plain text, for a ticket.
export function answerText(result, pageUrl) {
  const lines = [];
  for (const c of result.codes) {
    lines.push(`AADSTS${c.code}: ${c.known ? `${c.condition_label}. ${c.meaning}` : "not a code the checker knows"}`);
  }
  if (!result.findings.length) lines.push("No known problem matched.", `Looked for: ${result.looked_for}`);
  result.findings.forEach((f, i) => {
    lines.push("", `${i + 1}. ${f.title} (${f.confidence_label} confidence)`, `   ${f.summary}`);
    f.why.forEach((w) => lines.push(`   Why: ${w}`));
    f.fix.forEach((s, j) => lines.push(`   Fix ${j + 1}: ${plain(s)}`));
    f.fix_admin.forEach((s, j) => lines.push(`   Admin ${j + 1}: ${plain(s)}`));
    lines.push(`   More: ${new URL("../" + f.page, pageUrl).href}`);
  });
  return lines.join("\n").trim() + "\n";
}

// What "Copy link" shares by default: the codes and matched words, never the raw paste.
export function sharedQuery(result) {
  const parts = result.codes.map((c) => `AADSTS${c.code}`);
  const first = result.findings[0];
  if (!parts.length && first) {
    for (const e of first.evidence) if (e.kind !== "code" && !parts.includes(e.text)) parts.push(e.text);
  }
  return parts.join(" ");
}

function readHash(hash) {
  const out = {};
  for (const part of hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    try {
      out[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
    } catch {
      // a malformed escape: ignore that part
    }
  }
  return out;
}

export async function copy(text, status, fallbackLabel) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission: show the text so it can be copied by hand.
    const area = el("textarea", { readOnly: true, rows: 6, className: "fc-fallback", value: text });
    area.setAttribute("aria-label", fallbackLabel);
    status.replaceChildren(el("span", null, "Copying is blocked here; select and copy this text:"), area);
    area.select();
    return false;
  }
}

export function mount(root, api, hash = location.hash) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "1";
  const $ = (sel) => root.querySelector(sel);
  const input = $("#checker-input");
  const results = $("#checker-results");
  const status = $(".fc-status__text");
  const progress = $(".fc-progress");
  const share = $(".fc-share");
  const shareStatus = $(".fc-share__status");
  let last = null; // {text, answers, result}
  let asked = null; // the clarifying question for the current text, kept once it is answered
  let seq = 0;

  const unsubscribe = api.subscribe((s) => {
    if (!root.isConnected) return unsubscribe && unsubscribe();
    if (s.state === "error") {
      api.showError(root, s.error);
      return;
    }
    root.dataset.state = s.state === "ready" ? "ready" : "loading";
    if (s.state === "ready") {
      status.textContent = "Ready. The checker runs in this tab: nothing you paste leaves your computer.";
      progress.hidden = true;
    } else {
      status.textContent = `Preparing the checker, step ${s.step} of ${s.of}: ${STAGES[s.stage] || "starting"}. You can paste and press Check now; it runs as soon as Python is ready.`;
      progress.max = s.of;
      progress.value = Math.max(0, s.step - 1);
    }
  });

  function busy(box, message) {
    box.setAttribute("aria-busy", "true");
    box.replaceChildren(el("p", { className: "fc-working" }, message));
  }

  const waitingText = () => (api.state === "ready" ? "Checking…" : "Waiting for Python to finish loading, then checking…");

  async function check(answers = null) {
    const text = input.value;
    if (!text.trim()) {
      results.replaceChildren(el("p", { className: "fc-notice" }, "Paste an error message or describe what happens first."));
      input.focus();
      return;
    }
    const mine = ++seq;
    busy(results, waitingText());
    let result = null;
    try {
      result = await api.run("diagnose", { text, answers });
    } catch (err) {
      if (mine !== seq) return;
      results.replaceChildren(el("p", { className: "fc-notice", role: "alert" }, `The check failed: ${err.message}`));
    }
    if (mine !== seq) return;
    if (result) {
      last = { text, answers, result };
      if (result.question) asked = { text, question: result.question };
      const question = result.question || (answers && asked && asked.text === text ? asked.question : null);
      renderAnswer(results, { ...result, question }, text, {
        chosen: answers && answers.where,
        onAnswer: (id) => check({ where: id }),
        onSearch: () => openSearch(text),
      });
      share.hidden = false;
      shareStatus.textContent = "";
    }
    results.setAttribute("aria-busy", "false");
  }

  $("#checker-form").addEventListener("submit", (e) => {
    e.preventDefault();
    check();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      check();
    }
  });

  // Sharing and copying.
  root.querySelector("[data-action=copy-answer]").addEventListener("click", async () => {
    if (!last) return;
    if (await copy(answerText(last.result, location.href), shareStatus, "The answer")) shareStatus.textContent = "Answer copied.";
  });
  root.querySelector("[data-action=copy-link]").addEventListener("click", async () => {
    if (!last) return;
    const withText = $("#checker-link-text").checked;
    let hash = "#q=" + encodeURIComponent(withText ? last.text : sharedQuery(last.result));
    if (last.answers && last.answers.where) hash += "&where=" + encodeURIComponent(last.answers.where);
    const link = location.origin + location.pathname + hash;
    if (await copy(link, shareStatus, "The link")) {
      shareStatus.textContent = withText ? "Link copied; it contains your whole text." : "Link copied; it holds only what was found, not your text.";
    }
  });
  root.querySelector("[data-action=copy-redacted]").addEventListener("click", async () => {
    if (!input.value) return;
    if (await copy(redact(input.value), shareStatus, "The redacted text")) {
      shareStatus.textContent = "Copied with ids, timestamps and e-mail addresses masked. Read it before you share it.";
    }
  });

  // Describe your setup: the form goes to evaluate_setup, the free text to diagnose.
  const setupForm = $("#checker-setup-form");
  buildSetupFields(setupForm.querySelector(".fc-setup-fields"));
  const setupResults = $("#checker-setup-results");
  let setupSeq = 0;
  setupForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const mine = ++setupSeq;
    const setup = setupFromForm(setupForm);
    const text = $("#checker-setup-text").value;
    busy(setupResults, waitingText());
    const parts = [];
    const section = async (title, job, source) => {
      const box = el("div", { className: "fc-setup-answer" });
      try {
        const result = await job;
        renderAnswer(box, result, source, { onSearch: () => openSearch(source), level: 4 });
        if (!result.findings.length && !source) box.replaceChildren(el("p", null, "Nothing in these settings is known to break flows."));
      } catch (err) {
        box.replaceChildren(el("p", { className: "fc-notice", role: "alert" }, `This part could not be checked: ${err.message}`));
      }
      parts.push(el("h3", null, title), box);
    };
    await section("From your settings", api.run("setup", { setup }), "");
    if (text.trim()) await section("From your description", api.run("diagnose", { text, answers: null }), text);
    if (mine !== setupSeq) return;
    setupResults.replaceChildren(...parts);
    setupResults.setAttribute("aria-busy", "false");
  });

  function openSearch(text) {
    const toggle = document.getElementById("__search");
    const query = document.querySelector("[data-md-component=search-query]");
    if (!toggle || !query) {
      location.href = "../problems/";
      return;
    }
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    query.value = squash(text).trim().split(" ").slice(0, 6).join(" ");
    query.focus();
    query.dispatchEvent(new Event("input", { bubbles: true })); // Material searches on input
  }

  // Deep link: #q=<text>[&where=<option>] fills the box and runs at once.
  function fromHash(hash) {
    const { q, where } = readHash(hash);
    if (q === undefined) return;
    input.value = q;
    check(where ? { where } : null);
  }
  window.addEventListener("hashchange", () => root.isConnected && fromHash(location.hash));
  fromHash(hash);
}
