// The checker page's UI (ES module, loaded by boot.js on pages that hold #checker).
// Untrusted text (the paste, and anything the engine echoes from it) is only ever put into the
// page with textContent or text nodes; this file never assigns innerHTML.
import { el } from "./dom.mjs";
import { redact } from "./redact.mjs";
import { buildSetupFields, setupFromForm } from "./setup.mjs";

export const STAGES = {
  download: "downloading, about 13 MB the first time",
  start: "starting",
  checker: "loading what it knows",
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
  low: "Low confidence: possible, but the text gives little to go on",
};
// A described setup is a plan, not a failure: its confidence is how sure the break is.
const SETUP_CONFIDENCE = {
  high: "Very likely to break",
  medium: "Likely to break",
  low: "Could break, depending on settings the form did not give",
};

// Setup answers say whether a finding applies already or once the policy is on.
const WHEN = { now: "Breaks now: what causes it is already on.", "on-rollout": "Will break when you turn the policy on." };

const list = (tag, steps) => el(tag, null, steps.map((s) => el("li", null, rich(s))));

// The body of one finding (under its title): why, where in the text, the fix, the link; a
// clarifying question right under its summary, where it is read before the fix.
function findingBody(finding, text, { setup = false, who = "", question = null } = {}) {
  const excerpts = evidenceNodes(finding.evidence, text);
  const labels = setup ? SETUP_CONFIDENCE : CONFIDENCE;
  return [
    el("p", { className: `fc-confidence fc-confidence--${finding.confidence_label}` },
      labels[finding.confidence_label] || `Confidence: ${finding.confidence_label}`),
    WHEN[finding.when] ? el("p", { className: "fc-when" }, WHEN[finding.when]) : null,
    who ? el("p", null, el("strong", null, "Who is affected: "), who) : null,
    el("p", null, finding.summary),
    question,
    finding.why.length ? [el("p", { className: "fc-label" }, "Why"), el("ul", null, finding.why.map((w) => el("li", null, w)))] : null,
    excerpts.length ? [el("p", { className: "fc-label" }, "In your text"), excerpts] : null,
    finding.fix.length ? [el("p", { className: "fc-label" }, setup ? "If it happens" : "Fix it"), list("ol", finding.fix)] : null,
    // The admin's steps are for a second reader: collapsed, so the share buttons stay close.
    finding.fix_admin.length ? el("details", { className: "fc-more" }, el("summary", null, "If you are an admin"), list("ol", finding.fix_admin)) : null,
    el("p", null, el("a", { href: "../" + finding.page }, `Read more: ${finding.title}`)),
  ];
}

// The heading the page moves focus to once an answer is shown.
function leadHeading(h, text) {
  return el(`h${h}`, { className: "fc-lead__title", tabIndex: -1 }, text);
}

function servicesBlock(services) {
  if (!services || !services.length) return null;
  return el("p", { className: "fc-services" },
    el("strong", null, services.length === 1 ? "Service in your text: " : "Services in your text: "),
    services.map((s, i) => [i ? "; " : "", el("span", { className: "fc-service" }, s.name), ` (${s.what})`]));
}

function otherCauseBlock(other, h, alone) {
  if (!other) return null;
  return el("div", { className: "fc-other" },
    alone ? leadHeading(h, `Not a conditional access problem: ${other.title}`)
      : el("p", null, el("strong", null, `Could also be something else: ${other.title}.`)),
    el("p", null, other.says),
    el("p", null, el("strong", null, "Where to look: "), other.look));
}

function questionBlock(question, chosen, onAnswer) {
  if (!question) return null;
  const label = el("p", { className: "fc-label", id: "checker-question" }, question.text);
  const group = el("div", { className: "fc-question" }, label,
    el("div", { className: "fc-options" }, question.options.map((o) => {
      const b = el("button", { type: "button", className: "md-button fc-option" }, o.label);
      b.dataset.option = o.id;
      b.setAttribute("aria-pressed", String(chosen === o.id));
      b.addEventListener("click", () => onAnswer(o.id, question.id));
      return b;
    })));
  group.dataset.question = question.id;
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", label.id);
  return group;
}

function noMatch(result, onSearch, h) {
  const search = el("button", { type: "button", className: "md-button" }, "Search the guide");
  search.addEventListener("click", onSearch);
  return el("div", { className: "fc-nomatch" },
    result.other_cause ? el(`h${h + 1}`, null, "No conditional access problem matched")
      : leadHeading(h, "No known problem matched"),
    el("p", null, "The checker looked for: ", result.looked_for),
    el("p", null, result.other_cause ? "" : "Try pasting the whole error, including any AADSTS code, or describe where the flow fails. ",
      "You can also search the guide, or browse ", el("a", { href: "../problems/" }, "all the problems it covers"), "."),
    search);
}

// One alternative, collapsed: its title and how it differs; the whole finding inside.
function alternative(finding, differs, text, opts = {}) {
  const box = el("details", { className: "fc-alt" },
    el("summary", null, el("span", { className: "fc-alt__title" }, finding.title),
      differs ? el("span", { className: "fc-alt__differs" }, differs) : null),
    el("div", { className: "fc-alt__body" }, findingBody(finding, text, opts)));
  box.dataset.finding = finding.id;
  return box;
}

// The problems a plan's step covers, by their numbers in the plan: "problems 1, 4 and 5"
// (checker/answer.py `covers` writes the command line's).
function covers(step, findings) {
  const n = step.findings.map((id) => String(findings.findIndex((f) => f.id === id) + 1));
  return n.length === 1 ? `problem ${n[0]}` : `problems ${n.slice(0, -1).join(", ")} and ${n[n.length - 1]}`;
}

// A described setup, answered as a plan: what will break and whom it reaches, what to do before
// turning the policy on, the checklist; each problem in full, collapsed, below.
function renderPlan(box, result, level) {
  const plan = result.plan;
  const who = Object.fromEntries(plan.affected.map((a) => [a.id, a.who]));
  const now = result.findings.some((f) => f.when === "now" && f.id !== "remember-mfa");
  const n = result.findings.length;
  box.replaceChildren(...[
    ...(result.notices || []).map((x) => el("p", { className: "fc-notice" }, x)),
    el("div", { className: "fc-lead" },
      leadHeading(level, `${n} ${n === 1 ? "thing" : "things"} ${now ? "break now, with the policy on" : "will break when you turn it on"}`),
      el("ol", null, result.findings.map((f) => el("li", null,
        el("strong", null, f.title), ` (${SETUP_CONFIDENCE[f.confidence_label].toLowerCase()}). `, who[f.id]))),
      plan.before.length ? [el("p", { className: "fc-label" }, now ? "What to do now" : "Before you turn it on"),
        el("ol", null, plan.before.map((step) => el("li", null, rich(step.text),
          step.findings.length > 1 ? el("span", { className: "fc-covers" }, ` For ${covers(step, result.findings)}.`) : null)))] : null,
      el("p", null, "Then work through ", el("a", { href: "../" + plan.checklist }, "the checklist before you turn on a policy"), ".")),
    el("div", { className: "fc-alts" }, el(`h${level + 1}`, null, "Each problem, and its fix if it happens"),
      result.findings.map((f) => alternative(f, WHEN[f.when] || "", "", { setup: true, who: who[f.id] }))),
  ].filter(Boolean));
}

// Renders one answer into `box`: the lead (one finding, or a bare code with the fix its
// situations share and the question that tells them apart), then collapsed alternatives.
// `text` is the user's text (for highlights); may be empty. `level`: the lead's heading level.
export function renderAnswer(box, result, text, { chosen = null, onAnswer = null, onSearch = null, level = 2 } = {}) {
  if (result.plan && result.findings.length) return renderPlan(box, result, level);
  const shape = result.answer;
  const byId = Object.fromEntries(result.findings.map((f) => [f.id, f]));
  const question = onAnswer ? questionBlock(result.question, chosen, onAnswer) : null;
  let lead;
  if (shape.lead === "code") {
    const code = result.codes.find((c) => c.code === shape.code);
    lead = el("div", { className: "fc-lead" },
      leadHeading(level, `AADSTS${code.code}: ${code.condition_label}`),
      el("p", null, code.meaning),
      servicesBlock(result.services),
      el("p", { className: "fc-label" }, "What to do, whichever situation it is"),
      list("ol", shape.fix),
      question);
  } else if (shape.lead === "finding") {
    const f = byId[shape.finding];
    lead = el("div", { className: "fc-lead fc-card" }, leadHeading(level, f.title),
      servicesBlock(result.services), findingBody(f, text, { question }));
    lead.dataset.finding = f.id;
  } else {
    lead = el("div", { className: "fc-lead" },
      otherCauseBlock(result.other_cause, level, true), noMatch(result, onSearch, level));
  }
  const alts = shape.alternatives.map((a) => alternative(byId[a.id], a.differs, text));
  // Under a code that fits several problems, the alternatives are what the question decides:
  // where it was seen, or what started it.
  const tellsCause = result.question && result.question.tells === "cause";
  const altTitle = shape.lead !== "code" ? "Other possibilities" : tellsCause ? "Which cause is it?" : "Which situation is it?";
  box.replaceChildren(...[
    ...(result.notices || []).map((n) => el("p", { className: "fc-notice" }, n)),
    lead,
    shape.lead !== "none" ? otherCauseBlock(result.other_cause, level, false) : null,
    alts.length ? el("div", { className: "fc-alts" }, el(`h${level + 1}`, null, altTitle), alts) : null,
    shape.lead !== "code" && result.codes.length ? codesBlock(result.codes) : null,
  ].filter(Boolean));
}

function codesBlock(codes) {
  return el("details", { className: "fc-more fc-codes" },
    el("summary", null, codes.length === 1 ? "The code in your text" : "The codes in your text"),
    el("dl", null, codes.map((c) => [
      el("dt", null, `AADSTS${c.code}`, c.known ? ` (${c.condition_label})` : ""),
      el("dd", null, c.known ? c.meaning : "Not in the checker's list of codes; the answer comes from the rest of the text."),
    ])));
}

// The answer as plain text, for a ticket: the lead in full, alternatives in one line each.
export function answerText(result, pageUrl) {
  const url = (page) => new URL("../" + page, pageUrl).href;
  const shape = result.answer;
  const byId = Object.fromEntries(result.findings.map((f) => [f.id, f]));
  const lines = [];
  if (result.other_cause) {
    const o = result.other_cause;
    lines.push(`Not conditional access? ${o.title}: ${o.says}`, `Where to look: ${o.look}`);
  }
  for (const s of result.services || []) lines.push(`Service: ${s.name} (${s.id})`);
  if (shape.lead === "code") {
    const c = result.codes.find((x) => x.code === shape.code);
    lines.push(`AADSTS${c.code}: ${c.condition_label}. ${c.meaning}`, "What to do:");
    shape.fix.forEach((s, j) => lines.push(`${j + 1}. ${plain(s)}`));
    lines.push(`${result.question.text} It decides which of these it is:`);
    for (const a of shape.alternatives) lines.push(`- ${byId[a.id].title}: ${url(byId[a.id].page)}`);
  } else if (shape.lead === "finding") {
    const f = byId[shape.finding];
    // A plan numbers its problems, so that a step can name the ones it covers.
    const number = (id) => (result.plan ? `Problem ${result.findings.findIndex((x) => x.id === id) + 1}: ` : "");
    lines.push(`${number(f.id)}${f.title} (${f.confidence_label} confidence)`, plain(f.summary));
    f.fix.forEach((s, j) => lines.push(`${j + 1}. ${plain(s)}`));
    if (f.fix_admin.length) lines.push("Admin:", ...f.fix_admin.map((s) => `- ${plain(s)}`));
    lines.push(`More: ${url(f.page)}`);
    if (shape.alternatives.length) {
      lines.push(result.plan ? "Also affected:" : "Other possibilities:");
      for (const a of shape.alternatives) lines.push(`- ${number(a.id)}${byId[a.id].title}: ${url(byId[a.id].page)}`);
    }
    if (result.plan && result.plan.before.length) {
      lines.push("Before you turn it on:", ...result.plan.before.map((s) =>
        `- ${plain(s.text)}${s.findings.length > 1 ? ` (for ${covers(s, result.findings)})` : ""}`), `Checklist: ${url(result.plan.checklist)}`);
    }
  } else {
    lines.push("No known conditional access problem matched.");
  }
  return lines.join("\n").trim() + "\n";
}

// What "Copy link" shares by default: the codes and matched words, never the raw paste.
export function sharedQuery(result) {
  const parts = result.codes.map((c) => `AADSTS${c.code}`);
  // The first finding's evidence; one raised by an answer alone has none: then the next one's
  // (the message that made the question worth asking).
  const first = result.findings.find((f) => f.evidence.length);
  if (!parts.length && first) {
    for (const e of first.evidence) if (e.kind !== "code" && !parts.includes(e.text)) parts.push(e.text);
  }
  return parts.join(" ");
}

// The problem page, when one finding is clear enough to send instead of a check to rerun.
export function clearPage(result, answered) {
  const shape = result.answer;
  if (shape.lead !== "finding") return null;
  const f = result.findings[0];
  return f.confidence_label === "high" || answered ? f : null;
}

// Answers to the clarifying questions in a link: every key but q, if it looks like an id (the
// engine ignores the ones that name no question or answer).
const ANSWER_ID = /^[a-z][a-z0-9-]{0,40}$/;
function answersIn(fields) {
  const answers = {};
  for (const [k, v] of Object.entries(fields)) if (k !== "q" && ANSWER_ID.test(k) && ANSWER_ID.test(v)) answers[k] = v;
  return Object.keys(answers).length ? answers : null;
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

// Brings the answer's heading into view and focuses it, so screen readers announce it.
function moveTo(box) {
  const heading = box.querySelector(".fc-lead__title");
  if (!heading) return;
  heading.focus({ preventScroll: true });
  heading.scrollIntoView({ block: "start", behavior: "instant" });
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
  const copyPage = $("[data-action=copy-page]");
  const copyLink = $("[data-action=copy-link]");
  const linkText = $("#checker-link-text");
  let last = null; // {text, answers, result}
  let asked = null; // the last clarifying question for the current text, kept once it is answered
  let seq = 0;
  let waiting = ""; // why the page waits for Python: "" | "check" | "link"

  function showStatus(s) {
    if (s.state === "error") {
      api.showError(root, s.error);
      return;
    }
    root.dataset.state = s.state === "ready" ? "ready" : "loading";
    if (s.state === "ready") {
      status.textContent = "Ready. It runs in this tab: nothing you paste leaves your computer.";
      progress.value = progress.max; // kept in place (hidden by CSS): the line must not change height
    } else {
      const step = `step ${s.step} of ${s.of}: ${STAGES[s.stage] || "starting"}`;
      status.textContent = waiting === "link" ? `Checking your link… getting the checker ready (${step}).`
        : waiting === "check" ? `Your check will run as soon as the checker is ready (${step}).`
          : `Getting the checker ready (${step}). You can paste now.`;
      progress.max = s.of;
      progress.value = Math.max(0, s.step - 0.5); // half-way through the current step: it is under way
    }
  }
  const unsubscribe = api.subscribe((s) => {
    if (!root.isConnected) return unsubscribe && unsubscribe();
    showStatus(s);
  });

  function busy(box, message) {
    box.setAttribute("aria-busy", "true");
    box.replaceChildren(el("p", { className: "fc-working" }, message));
  }

  const waitingText = () => (api.state === "ready" ? "Checking…" : "Waiting for the checker to finish loading, then checking…");

  // Share buttons sit under the lead answer, where the helpdesk looks for them.
  function placeShare(result, answered) {
    const page = clearPage(result, answered);
    copyPage.hidden = !page;
    if (page) copyPage.textContent = "Copy link to the fix page";
    copyLink.textContent = page ? "Copy checker link" : "Copy link";
    updateLinkButton();
    const lead = results.querySelector(".fc-lead");
    if (lead) lead.after(share);
    share.hidden = false;
    shareStatus.textContent = "";
  }
  // A link must carry something: with nothing found and no text allowed in it, offer none.
  function updateLinkButton() {
    copyLink.hidden = !!last && !linkText.checked && !sharedQuery(last.result);
  }
  linkText.addEventListener("change", updateLinkButton);

  async function check(answers = null, { from = "check" } = {}) {
    const text = input.value;
    if (!text.trim()) {
      results.replaceChildren(el("p", { className: "fc-notice" }, "Paste an error message or describe what happens first."));
      input.focus();
      return;
    }
    const mine = ++seq;
    busy(results, waitingText());
    if (api.state !== "ready") {
      waiting = from;
      showStatus(api);
    }
    let result = null;
    try {
      result = await api.run("diagnose", { text, answers });
    } catch (err) {
      if (mine !== seq) return;
      results.replaceChildren(el("p", { className: "fc-notice", role: "alert" }, `The check failed: ${err.message}`));
    }
    if (mine !== seq) return;
    waiting = "";
    if (result) {
      last = { text, answers, result };
      // One question at a time: a new one (the first, or one that still decides after an
      // answer), else the one just answered, showing the choice.
      if (result.question) asked = { text, question: result.question };
      const question = result.question || (answers && asked && asked.text === text ? asked.question : null);
      renderAnswer(results, { ...result, question }, text, {
        chosen: question && answers ? answers[question.id] : null,
        onAnswer: (id, qid) => check({ ...answers, [qid]: id }),
        onSearch: () => openSearch(text),
      });
      placeShare(result, !!answers);
    }
    results.setAttribute("aria-busy", "false");
    if (result) moveTo(results);
  }

  $("#checker-run").addEventListener("click", () => check());
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
  $("[data-action=copy-answer]").addEventListener("click", async () => {
    if (!last) return;
    if (await copy(answerText(last.result, location.href), shareStatus, "The answer")) shareStatus.textContent = "Answer copied.";
  });
  copyPage.addEventListener("click", async () => {
    const page = last && clearPage(last.result, !!last.answers);
    if (!page) return;
    if (await copy(new URL("../" + page.page, location.href).href, shareStatus, "The link")) {
      shareStatus.textContent = `Link to "${page.title}" copied; the page opens at once, without the checker.`;
    }
  });
  copyLink.addEventListener("click", async () => {
    if (!last) return;
    const withText = linkText.checked;
    const query = withText ? last.text : sharedQuery(last.result);
    if (!query.trim()) return;
    let hash = "#q=" + encodeURIComponent(query);
    for (const [k, v] of Object.entries(last.answers || {})) hash += `&${k}=${encodeURIComponent(v)}`;
    const link = location.origin + location.pathname + hash;
    if (await copy(link, shareStatus, "The link")) {
      shareStatus.textContent = withText ? "Link copied; it contains your whole text." : "Link copied; it holds only what was found, not your text.";
    }
  });
  $("[data-action=copy-redacted]").addEventListener("click", async () => {
    if (!input.value) return;
    const keep = last && last.text === input.value ? last.result.services.map((x) => x.id) : [];
    if (await copy(redact(input.value, keep), shareStatus, "The redacted text")) {
      shareStatus.textContent = "Copied with ids, timestamps and e-mail addresses masked (Microsoft service IDs kept). Read it before you share it.";
    }
  });

  // Describe your setup: the form goes to evaluate_setup, the free text to diagnose.
  const setupForm = $("#checker-setup-form");
  buildSetupFields(setupForm.querySelector(".fc-setup-fields"));
  const setupResults = $("#checker-setup-results");
  let setupSeq = 0;
  let report = "";
  async function checkSetup() {
    const mine = ++setupSeq;
    const setup = setupFromForm(setupForm);
    const text = $("#checker-setup-text").value;
    busy(setupResults, waitingText());
    const parts = [];
    const texts = [];
    const section = async (title, job, source) => {
      const box = el("div", { className: "fc-setup-answer" });
      try {
        const result = await job;
        renderAnswer(box, result, source, { onSearch: () => openSearch(source), level: 4 });
        if (!result.findings.length && !source) box.replaceChildren(el("p", null, "Nothing in these settings is known to break flows."));
        texts.push(`${title}\n${answerText(result, location.href)}`);
      } catch (err) {
        box.replaceChildren(el("p", { className: "fc-notice", role: "alert" }, `This part could not be checked: ${err.message}`));
      }
      parts.push(el("h3", null, title), box);
    };
    await section("From your settings", api.run("setup", { setup }), "");
    if (text.trim()) await section("From your description", api.run("diagnose", { text, answers: null }), text);
    if (mine !== setupSeq) return;
    report = texts.join("\n");
    const copyReport = el("button", { type: "button", className: "md-button" }, "Copy report");
    copyReport.dataset.action = "copy-report";
    const reportStatus = el("p", { className: "fc-share__status", role: "status" });
    copyReport.addEventListener("click", async () => {
      if (await copy(report, reportStatus, "The report")) reportStatus.textContent = "Report copied.";
    });
    setupResults.replaceChildren(...parts, el("div", { className: "fc-share" }, copyReport, reportStatus));
    setupResults.setAttribute("aria-busy", "false");
    moveTo(setupResults);
  }
  $("#checker-setup-run").addEventListener("click", checkSetup);
  setupForm.addEventListener("submit", (e) => {
    e.preventDefault();
    checkSetup();
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

  // Deep link: #q=<text>[&where=<option>][&since=<option>] fills the box and runs at once.
  function fromHash(hash) {
    const fields = readHash(hash);
    if (fields.q === undefined || !fields.q.trim()) return;
    input.value = fields.q;
    check(answersIn(fields), { from: "link" });
  }
  window.addEventListener("hashchange", () => root.isConnected && fromHash(location.hash));
  const early = api.takeEarly ? api.takeEarly() : null; // a Check pressed before this module ran
  if (readHash(hash).q) fromHash(hash);
  else if (early === "setup") checkSetup();
  else if (early === "diagnose") check();
}
