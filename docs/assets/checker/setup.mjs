// "Describe your setup": the form for checker.evaluate_setup, built from one list of fields that
// mirrors the setup schema in checker/rollout.py. An unanswered field is left out of the setup,
// which the engine reads as "not known" (never as "no").
// Every question changes the answer: a yes/no whose "no" reads like "not sure" is a single
// tick box, and a question that only matters for some requirements is shown only with them
// (`when`: the field and value that show it); a hidden question is never sent.

const FIELDS = [
  { key: "requirements", type: "list", legend: "What does the policy require?", values: [
    ["mfa", "Multifactor authentication (MFA)"], ["location", "A trusted network location"],
    ["compliant-device", "A compliant or managed device"], ["approved-app", "An approved client app"],
    ["authentication-strength", "An authentication strength (allowed sign-in methods)"], ["block", "Nothing: it blocks access"],
    ["terms-of-use", "Accepting Terms of Use"], ["sign-in-frequency", "Signing in again periodically (sign-in frequency)"],
    ["password-change", "A password change (for risky users)"]] },
  { key: "terms_of_use_per_device", type: "flag", label: "Terms of Use must be accepted on every device",
    when: ["requirements", "terms-of-use"] },
  { key: "sign_in_frequency_hours", type: "number", label: "Sign-in frequency period, in hours", min: "0.1", step: "any",
    when: ["requirements", "sign-in-frequency"] },
  { key: "service_accounts_excluded", type: "flag",
    label: "The accounts that own flows' connections (such as service accounts) are excluded from it",
    when: ["requirements", "terms-of-use", "sign-in-frequency"] },
  { key: "targets", type: "list", legend: "Which resources (cloud apps) does it target?", values: [
    ["all-cloud-apps", "All resources (formerly all cloud apps)"], ["office-365", "The Office 365 app group"],
    ["power-automate", "Power Automate"], ["exchange-online", "Exchange Online"],
    ["sharepoint", "SharePoint Online"], ["microsoft-graph", "Microsoft Graph"], ["dataverse", "Dataverse"]] },
  // Planned (left out: connections that exist when it is turned on will break) or on already
  // (enabled_after_connections: connections made before it break now).
  { key: "enabled_after_connections", type: "choice", legend: "Is the policy on yet?", values: [
    ["", "Not yet: we are planning it"], ["yes", "Yes, it is on"]] },
  { key: "remember_mfa", type: "flag", label: "\"Remember MFA on trusted devices\" is turned on" },
  { key: "remember_mfa_days", type: "integer", label: "Remember MFA period, in days", min: "1", max: "365", step: "1",
    when: ["remember_mfa", "on"] },
  { key: "flows_started_from", type: "list", legend: "Where do people start or build flows?", values: [
    ["portal", "The Power Automate site"], ["sharepoint", "SharePoint"], ["teams", "Teams"],
    ["power-apps", "Power Apps"], ["excel", "Excel"]] },
  { key: "shared_with_sharepoint_lists", type: "bool", label: "Are flows shared with SharePoint lists or libraries?" },
  { key: "sharepoint_builtin_flows", type: "bool", label: "Do SharePoint sites use the built-in Request sign-off or Page approval flows?" },
];

function node(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
  n.append(...children);
  return n;
}

function field(f) {
  const id = `setup-${f.key}`;
  let out;
  if (f.type === "list" || f.type === "choice") {
    const type = f.type === "list" ? "checkbox" : "radio";
    out = node("fieldset", { class: "fc-fieldset" }, node("legend", null, f.legend),
      ...f.values.map(([value, label], i) => {
        const input = node("input", { type, name: f.key, value });
        if (type === "radio" && i === 0) input.checked = true;
        return node("label", { class: "fc-check" }, input, " ", label);
      }));
  } else if (f.type === "flag") {
    out = node("p", { class: "fc-field" }, node("label", { class: "fc-check" },
      node("input", { type: "checkbox", id, name: f.key, value: "on" }), " ", f.label));
  } else if (f.type === "bool") {
    const select = node("select", { id, name: f.key },
      node("option", { value: "" }, "Not sure"), node("option", { value: "yes" }, "Yes"), node("option", { value: "no" }, "No"));
    out = node("p", { class: "fc-field" }, node("label", { for: id }, f.label), " ", select);
  } else {
    const attrs = { id, name: f.key, type: "number", inputmode: f.type === "integer" ? "numeric" : "decimal" };
    for (const k of ["min", "max", "step"]) if (f[k]) attrs[k] = f[k];
    out = node("p", { class: "fc-field" }, node("label", { for: id }, f.label), " ", node("input", attrs));
  }
  if (f.when) out.dataset.when = f.key;
  return out;
}

// Whether the field `f` applies given what the form says now.
function applies(form, f) {
  if (!f.when) return true;
  const [key, ...values] = f.when;
  return values.some((v) => !!form.querySelector(`input[name="${key}"][value="${v}"]:checked`));
}

function refresh(form) {
  for (const f of FIELDS) {
    const box = form.querySelector(`[data-when="${f.key}"]`);
    if (box) box.hidden = !applies(form, f);
  }
}

// Fills the (empty) fields container of the setup form.
export function buildSetupFields(container) {
  container.replaceChildren(...FIELDS.map(field));
  const form = container.closest("form") || container;
  form.addEventListener("change", () => refresh(form));
  refresh(form);
}

// The setup dict the form describes, leaving out every unanswered or hidden field.
export function setupFromForm(form) {
  const setup = {};
  for (const f of FIELDS) {
    if (!applies(form, f)) continue;
    if (f.type === "list") {
      const picked = [...form.querySelectorAll(`input[name="${f.key}"]:checked`)].map((i) => i.value);
      if (picked.length) setup[f.key] = picked;
      continue;
    }
    if (f.type === "flag") {
      if (form.querySelector(`input[name="${f.key}"]`).checked) setup[f.key] = true;
      continue;
    }
    if (f.type === "choice") {
      const picked = form.querySelector(`input[name="${f.key}"]:checked`);
      if (picked && picked.value === "yes") setup[f.key] = true;
      continue;
    }
    const value = form.elements[f.key].value.trim();
    if (!value) continue;
    if (f.type === "bool") setup[f.key] = value === "yes";
    else setup[f.key] = f.type === "integer" ? parseInt(value, 10) : Number(value);
  }
  return setup;
}
