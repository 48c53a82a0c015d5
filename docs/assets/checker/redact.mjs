// Masks what identifies a tenant, a user or a request in a pasted error, so the paste can go
// into a ticket: trace/correlation/request ids, GUIDs, timestamps and e-mail addresses. The IDs of
// Microsoft services the checker named (`keep`, from its answer's `services`) stay: they say
// which connection to fix and identify no one.
// Every pattern runs in linear time: no nested quantifier can match the same text two ways,
// and the e-mail pattern only starts where a run of address characters starts.

const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const RULES = [
  // A labelled id keeps its label: "Trace ID: 89ac…" -> "Trace ID: <id>".
  [/\b((?:trace|correlation|request|client-request|session|activity)[ _-]?id["']?\s*[:=]\s*["']?)[^\s"',;}\]]+/gi, "$1<id>"],
  [GUID, "<guid>"],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<timestamp>"],
  [/\b\d{1,2}\/\d{1,2}\/\d{2,4},? \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?/gi, "<timestamp>"],
  [/(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, "<email>"],
];

export function redact(text, keep = []) {
  const kept = new Set((Array.isArray(keep) ? keep : []).map((id) => String(id).toLowerCase()));
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, (match, ...groups) =>
    (pattern === GUID && kept.has(match.toLowerCase()) ? match
      : typeof groups[0] === "string" ? replacement.replace("$1", groups[0]) : replacement)), String(text));
}
