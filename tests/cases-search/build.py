import json, os
FR, CC = "failed-runs", "create-connection"
GEN = [FR, CC]
# (kind, text, accept, condition or None)
P = "paste"; W = "written"
cases = [
# ---- positive pastes ----
(P, "AADSTS50076", GEN, "mfa"),
(P, "AADSTS53003 access blocked by CA", GEN, "blocked"),
(P, "Error Code: 530033", GEN, "device"),
(P, "You can't get there from here", GEN, None),
(P, "Help us keep your device secure", GEN, None),
(P, "AADSTS50158", ["terms-of-use", FR, CC], "external-challenge"),
(P, "\"error_codes\":[53000]", GEN, "device"),
(P, "login.microsoftonline.com/error?code=50079", GEN, "mfa-registration"),
(P, "AADSTS53002 power apps mobile", GEN, "approved-app"),
(P, "AADSTS70043: The refresh token has expired or is invalid due to sign-in freq", ["sign-in-frequency"], "sign-in-frequency"),
(P, "maximum allowed lifetime for this request is 86400", ["sign-in-frequency"], None),
(P, "AADSTS700082: The refresh token has expired due to inactivity.", ["token-inactivity"], "token-inactivity"),
(P, "inactive for 90.00:00:00", ["token-inactivity"], None),
(P, "AADSTS50173: The provided grant has expired due to it being revoked, a fresh au", ["token-revoked"], "token-revoked"),
(P, "Failed to refresh access token for service: sharepointonline. Correlation Id=g-", [FR], None),
# ---- failed-runs ----
(W, "PA flow failing AADSTS50076 since monday", [FR], None),
(W, "flows stopped working after CA policy enabled", [FR], None),
(W, "scheduled flow broke after compliant device CA policy", [FR], None),
(W, "flujo PA falla despues de activar MFA", [FR], None),
(W, "Flow läuft nicht mehr seit MFA aktiviert", [FR], None),
(W, "PA flows fail since we blocked access outside corp netwrok", [FR], None),
# ---- auto-connection ----
(W, "PA template cant create connections MFA", ["auto-connection"], None),
(W, "1-click template AADSTS50076", ["auto-connection"], None),
(W, "new flow from template connections fail sign in error CA", ["auto-connection"], None),
(W, "template connection setup fails conditional access", ["auto-connection"], None),
(W, "modèle PA les connexions ne se créent pas MFA", ["auto-connection"], None),
# ---- create-connection ----
(W, "cant create sharepiont conn PA AADSTS50076", [CC], None),
(W, "new connection fails MFA error power apps", [CC], None),
(W, "add conection office 365 outlook fails CA policy", [CC], None),
(W, "neue Verbindung erstellen Fehler MFA power automate", [CC], None),
# ---- people-picker ----
(W, "PA share flow M365 groups not showing", ["people-picker"], None),
(W, "O365 groups missing people picker power automate", ["people-picker"], None),
(W, "cant find office 365 group when adding co-owner flow", ["people-picker"], None),
(W, "run only users picker no groups PA", ["people-picker"], None),
(W, "email picker in designer missing groups CA", ["people-picker"], None),
# ---- embedded-host ----
(W, "flow from sharepoint fails MFA works in PA", ["embedded-host"], None),
(W, "teams flow MFA error works in browser", ["embedded-host"], None),
(W, "power apps flow AADSTS50076 but runs fine in PA portal", ["embedded-host"], None),
(W, "excel run flow MFA error", ["embedded-host"], None),
(W, "Microsoft Flow Service token exchange MFA sharepoint", ["embedded-host"], None),
# ---- sharepoint-sharing ----
(W, "flow shared with SP list shows GUID", ["sharepoint-sharing"], None),
(W, "run only users list ID instead of name", ["sharepoint-sharing"], None),
(W, "flow shared with library not visible in sharepoint CA", ["sharepoint-sharing"], None),
(W, "owners tile guid sharepoint list PA", ["sharepoint-sharing"], None),
(W, "users cant run flow from SP list run-only sharing", ["sharepoint-sharing"], None),
# ---- sharepoint-oob-flows ----
(W, "request sign-off not working CA", ["sharepoint-oob-flows"], None),
(W, "page approval flow blocked unmanaged devices", ["sharepoint-oob-flows"], None),
(W, "SPO request signoff fails network location policy", ["sharepoint-oob-flows"], None),
(W, "Page approval cant configure SPO IP restriction", ["sharepoint-oob-flows"], None),
# ---- remember-mfa ----
(W, "PA connections expire every 14 days", ["remember-mfa"], None),
(W, "remember MFA trusted devices flow connections", ["remember-mfa"], None),
(W, "flow conn re-auth every 2 weeks", ["remember-mfa"], None),
(W, "conns need sign in every 30 days remember mfa", ["remember-mfa"], None),
(W, "remember multi-factor authentication 14 days power automate", ["remember-mfa"], None),
# ---- terms-of-use ----
(W, "ToU policy power automate connections fail", ["terms-of-use"], None),
(W, "50158 Microsoft Flow Service sign-in logs", ["terms-of-use", FR], None),
(W, "terms of use acceptance expired flows broken", ["terms-of-use"], None),
(W, "per device terms of use service account flow", ["terms-of-use"], None),
(W, "Nutzungsbedingungen CA flow Verbindung kaputt", ["terms-of-use"], None),
# ---- sign-in-frequency ----
(W, "PA conn expires every 12 hours", ["sign-in-frequency"], None),
(W, "sign in frequency CA breaks flows", ["sign-in-frequency"], None),
(W, "AADSTS70043 flow connection", ["sign-in-frequency"], None),
(W, "flow connections fail daily since SIF policy", ["sign-in-frequency"], None),
(W, "session control reauth every 8 hours flow connection", ["sign-in-frequency"], None),
# ---- token-inactivity ----
(W, "flow conn broken after 90 days unused", ["token-inactivity"], None),
(W, "AADSTS700082 PA", ["token-inactivity"], None),
(W, "yearly flow failed refresh token inactivity", ["token-inactivity"], None),
(W, "connection expired not used 3 months", ["token-inactivity"], None),
(W, "quarterly flow connection expired", ["token-inactivity"], None),
# ---- token-revoked ----
(W, "changed pwd all PA connections broken", ["token-revoked"], None),
(W, "after password reset flows fail", ["token-revoked"], None),
(W, "revoke sessions broke flows", ["token-revoked"], None),
(W, "AADSTS50173 flow", ["token-revoked"], None),
(W, "mot de passe changé flux power automate échoue", ["token-revoked"], None),
# ---- generic ----
(W, "power automate MFA connection error", GEN, None),
# ---- negatives ----
(W, "MFA setup phone", [], None),
(W, "PA connector 401 custom API", [], None),
(W, "SharePoint group permissions flow", [], None),
(W, "token expired Graph app", [], None),
(W, "flow approval not sent", [], None),
(W, "teams notification delay", [], None),
(W, "how to enable MFA O365 users", [], None),
(W, "authenticator app new phone", [], None),
(W, "CA policy block legacy auth", [], None),
(W, "flow 429 throttling SPO", [], None),
(W, "EXO mailbox full flow send email fails", [], None),
(W, "share flow with external user", [], None),
(W, "HTTP action bearer token expired", [], None),
(W, "flow trigger not firing sharepoint list", [], None),
(W, "2FA codes not arriving SMS", [], None),
(W, "how find SP list GUID for flow", [], None),
(W, "SP person column flow update multiple people", [], None),
(W, "PA desktop unattended license", [], None),
(W, "connection reference solution import error", [], None),
(P, "AADSTS65001 consent", [], "not-ca"),
(P, "AADSTS50126 wrong pwd", [], "not-ca"),
(P, "AADSTS700016 application not found in the directory", [], "not-ca"),
(P, "AADSTS90072 guest account", [], "not-ca"),
(P, "Approve sign in request", [], None),
(P, "InvalidAuthenticationToken Access token has expired.", [], None),
]
out = []
for i, (k, t, a, c) in enumerate(cases, 1):
    r = {"id": f"S{i}", "kind": k, "bucket": ("negative" if not a else k), "text": t, "accept": a}
    if c and k == "paste":
        r["condition"] = c
    out.append(r)
with open(os.path.join(os.path.dirname(__file__), "search.jsonl"), "w") as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
