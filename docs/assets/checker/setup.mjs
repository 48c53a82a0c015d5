// "Describe your setup": the form for checker.evaluate_setup, built from one list of fields that
// mirrors the setup schema in checker/rollout.py. An unanswered field is left out of the setup,
// which the engine reads as "not known" (never as "no").

const FIELDS = [
  { key: "requirements", type: "list", legend: "What does the policy require?", values: [
    ["mfa", "Multifactor authentication (MFA)"], ["location", "A trusted network location"],
    ["compliant-device", "A compliant or managed device"], ["approved-app", "An approved client app"],
    ["authentication-strength", "An authentication strength (allowed sign-in methods)"], ["block", "Nothing: it blocks access"],
    ["terms-of-use", "Accepting Terms of Use"], ["sign-in-frequency", "Signing in again periodically (sign-in frequency)"],
    ["password-change", "A password change (for risky users)"]] },
  { key: "terms_of_use_per_device", type: "bool", label: "Must Terms of Use be accepted on every device?" },
  { key: "sign_in_frequency_hours", type: "number", label: "Sign-in frequency period, in hours", min: "0.1", step: "any" },
  { key: "targets", type: "list", legend: "Which cloud apps does it target?", values: [
    ["all-cloud-apps", "All cloud apps"], ["office-365", "The Office 365 app group"],
    ["power-automate", "Power Automate"], ["exchange-online", "Exchange Online"],
    ["sharepoint", "SharePoint Online"], ["microsoft-graph", "Microsoft Graph"], ["dataverse", "Dataverse"]] },
  { key: "enabled_after_connections", type: "bool", label: "Is (or was) the policy turned on after flows' connections were made?" },
  { key: "remember_mfa", type: "bool", label: "Is \"remember MFA on trusted devices\" turned on?" },
  { key: "remember_mfa_days", type: "integer", label: "Remember MFA period, in days", min: "1", max: "365", step: "1" },
  { key: "flows_started_from", type: "list", legend: "Where do people start or build flows?", values: [
    ["portal", "The Power Automate site"], ["sharepoint", "SharePoint"], ["teams", "Teams"],
    ["power-apps", "Power Apps"], ["excel", "Excel"]] },
  { key: "shared_with_sharepoint_lists", type: "bool", label: "Are flows shared with SharePoint lists or libraries?" },
  { key: "sharepoint_builtin_flows", type: "bool", label: "Do SharePoint sites use the built-in Request sign-off or Page approval flows?" },
  { key: "service_accounts_excluded", type: "bool", label: "Are the accounts that own connections excluded from the policy?" },
];

function node(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
  n.append(...children);
  return n;
}

function field(f) {
  const id = `setup-${f.key}`;
  if (f.type === "list") {
    return node("fieldset", { class: "fc-fieldset" }, node("legend", null, f.legend),
      ...f.values.map(([value, label]) => node("label", { class: "fc-check" },
        node("input", { type: "checkbox", name: f.key, value }), " ", label)));
  }
  if (f.type === "bool") {
    const select = node("select", { id, name: f.key },
      node("option", { value: "" }, "Not sure"), node("option", { value: "yes" }, "Yes"), node("option", { value: "no" }, "No"));
    return node("p", { class: "fc-field" }, node("label", { for: id }, f.label), " ", select);
  }
  const attrs = { id, name: f.key, type: "number", inputmode: f.type === "integer" ? "numeric" : "decimal" };
  for (const k of ["min", "max", "step"]) if (f[k]) attrs[k] = f[k];
  return node("p", { class: "fc-field" }, node("label", { for: id }, f.label), " ", node("input", attrs));
}

// Fills the (empty) fields container of the setup form.
export function buildSetupFields(container) {
  container.replaceChildren(...FIELDS.map(field));
}

// The setup dict the form describes, leaving out every unanswered field.
export function setupFromForm(form) {
  const setup = {};
  for (const f of FIELDS) {
    if (f.type === "list") {
      const picked = [...form.querySelectorAll(`input[name="${f.key}"]:checked`)].map((i) => i.value);
      if (picked.length) setup[f.key] = picked;
      continue;
    }
    const value = form.elements[f.key].value.trim();
    if (!value) continue;
    if (f.type === "bool") setup[f.key] = value === "yes";
    else setup[f.key] = f.type === "integer" ? parseInt(value, 10) : Number(value);
  }
  return setup;
}
