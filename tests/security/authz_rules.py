"""The authorization rules, in one place: for every route of the app (``METHOD path`` as in
the route table) and every role, the class of answer expected.

Classes:
- ``ALLOW``: the role passes (any answer below 500 that is not a refusal; an empty body sent to a
  state-changing route may be refused as invalid, 400/422).
- ``SCOPED``: allowed on a record in the caller's scope; ``NOT_FOUND`` on one outside it (another
  province, another organisation) exactly as on a record that does not exist.
- ``READONLY``: the record is visible but the role may not change it: 403 on a record in
  scope, 404 outside it and on a missing one.
- ``FORBID``: 403 whatever the record (or 400/422 when a required field is missing and the
  role check inside the endpoint comes after validation; never on the ``GATED`` routes).
  ``NOT_FOUND``: 404 whatever the record.
- ``LOGIN``: a page redirects the anonymous visitor to the log-in page. ``UNAUTH``: the API
  answers 401.
A record that does not exist is ``NOT_FOUND`` for every role the rule lets in.
"""

from __future__ import annotations

ALLOW = "allow"
SCOPED = "scoped"
READONLY = "read-only"
FORBID = "forbidden"
NOT_FOUND = "not-found"
LOGIN = "login-redirect"
UNAUTH = "401"
INVALID = "invalid"  # observed only: 400/422 to an empty body

ROLES = (
    "admin",
    "secretariat",
    "provincial_officer",
    "investigator",
    "ngo_caseworker",
    "viewer",
    "anonymous",
)

# Path parameters naming a record (tried as an existing record in scope and as a missing one).
RECORD_PARAMS = frozenset(
    {
        "case_id",
        "participant_id",
        "person_id",
        "referral_id",
        "org_id",
        "user_id",
        "record_id",
        "alert_id",
        "report_id",
        "release_id",
        "entry_id",
        "flag_id",
        "intervention_id",
        "screening_id",
        "service_id",
        "task_id",
        "goal_id",
        "token",
        "batch_id",
    }
)

# Other path parameters: one fixed value (per route, else the default under "*").
FIXED_PARAMS: dict[str, dict[str, str]] = {
    "*": {
        "fmt": "xlsx",
        "code": "en",
        "name": "network.css",
        "kind": "person",
        "verb": "deactivate",
        "form_name": "note",
    },
    "/network/export.{fmt}": {"fmt": "graphml"},
    "/network/{kind}/{record_id:int}/export.{fmt}": {"fmt": "graphml"},
    "/api/v1/network/{kind}/{record_id}": {},
}

# Routes checked elsewhere because sending them would end the caller's session.
NOT_SENT: dict[str, str] = {
    "POST /logout": "ends the session the matrix's client uses (tests/security/test_sessions.py)",
    "POST /api/v1/auth/logout": "revokes the matrix's token (tests/security/test_sessions.py)",
    "POST /login": "public; an empty log-in counts towards the throttle (test_login_throttle.py)",
    "POST /api/v1/auth/token": "public; an empty log-in counts towards the throttle",
}


# Routes with a route-level role gate (``ctip.web.gates.requires``): a forbidden role gets 403
# whatever the body or query, never a 400/422 that describes the input. Elsewhere the role
# check is still inside the endpoint, after validation, and FORBID admits 400/422 too; add a
# route here when it gets a gate.
GATED = frozenset(
    {
        "GET /api/v1/identifiers/search",
        "GET /api/v1/network/alerts",
        "GET /api/v1/screening/screenings",
        "GET /api/v1/support/tasks",
        "POST /api/v1/cases",
        "POST /api/v1/screening/evaluate",
        "POST /api/v1/screening/interventions",
        "POST /api/v1/screening/screenings",
        "POST /api/v1/screening/status",
        "GET /identifiers/search",
        "GET /import",
        "POST /import",
        "GET /network/alerts",
        "GET /network/alerts/unread",
        "GET /screening",
        "GET /screening/interventions/new",
        "POST /screening/interventions/new",
        "GET /support/tasks",
        "POST /cases/new",
    }
)

# Routes whose success would change much shared data (even with an empty form): only the
# roles the rules refuse are sent them.
REFUSALS_ONLY = frozenset({"POST /retention/purge"})

# Short names for the table below.
A, S, R, F, N, L, U = ALLOW, SCOPED, READONLY, FORBID, NOT_FOUND, LOGIN, UNAUTH

# Columns: admin, secretariat, provincial_officer, investigator, ngo_caseworker, viewer, anonymous
# fmt: off
_TABLE: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "GET /":                                            (A, A, A, A, A, A, L),
    "GET /account/password":                            (A, A, A, A, A, A, L),
    "POST /account/password":                           (A, A, A, A, A, A, L),
    "GET /api/v1/audit":                                (A, F, F, F, F, F, U),
    "GET /api/v1/audit/verify":                         (A, F, F, F, F, F, U),
    "POST /api/v1/auth/logout":                         (A, A, A, A, A, A, U),
    "POST /api/v1/auth/token":                          (A, A, A, A, A, A, A),
    "GET /api/v1/cases":                                (A, A, A, A, A, A, U),
    "POST /api/v1/cases":                               (A, F, A, A, F, F, U),
    "GET /api/v1/cases/{case_id}":                      (S, S, S, S, S, N, U),
    "PATCH /api/v1/cases/{case_id}":                    (S, S, S, S, S, S, U),
    "GET /api/v1/cases/{case_id}/events":               (S, S, S, S, S, N, U),
    "POST /api/v1/cases/{case_id}/events":              (S, S, S, S, S, S, U),
    "GET /api/v1/cases/{case_id}/identifiers":          (S, S, S, S, S, N, U),
    "POST /api/v1/cases/{case_id}/identifiers":         (S, S, S, S, S, S, U),
    "GET /api/v1/cases/{case_id}/persons":              (S, S, S, S, S, N, U),
    "POST /api/v1/cases/{case_id}/persons":             (S, S, S, S, S, S, U),
    "PATCH /api/v1/cases/{case_id}/persons/{participant_id}":
                                                        (S, S, S, S, S, S, U),
    "GET /api/v1/cases/{case_id}/referrals":            (S, S, S, S, S, N, U),
    "POST /api/v1/cases/{case_id}/referrals":           (S, S, S, S, S, S, U),
    "GET /api/v1/cases/{case_id}/shares":               (S, S, S, S, S, N, U),
    "POST /api/v1/cases/{case_id}/shares":              (S, S, S, S, S, S, U),
    "POST /api/v1/cases/{case_id}/transitions":         (S, S, S, S, S, S, U),
    "GET /api/v1/dashboard":                            (A, A, A, A, A, A, U),
    "GET /api/v1/identifiers/search":                   (A, A, A, A, A, F, U),
    "GET /api/v1/imports/batches/{batch_id}":           (S, F, S, S, F, F, U),
    "POST /api/v1/imports/preview":                     (A, A, A, A, A, A, U),
    "POST /api/v1/imports/{token}/run":                 (S, F, S, S, F, F, U),
    "POST /api/v1/linkage/decisions":                   (A, A, A, A, A, A, U),
    "GET /api/v1/linkage/model":                        (A, A, A, A, F, F, U),
    "GET /api/v1/linkage/persons/{person_id}/matches":  (S, S, S, S, F, F, U),
    "GET /api/v1/linkage/review":                       (A, A, A, A, F, F, U),
    "GET /api/v1/linkage/status":                       (A, A, A, A, F, F, U),
    "POST /api/v1/linkage/upload":                      (A, A, A, A, F, F, U),
    "GET /api/v1/me":                                   (A, A, A, A, A, A, U),
    "POST /api/v1/me/password":                         (A, A, A, A, A, A, U),
    "GET /api/v1/network":                              (A, A, A, A, A, F, U),
    "GET /api/v1/network/alerts":                       (A, A, A, A, A, F, U),
    "POST /api/v1/network/alerts/{alert_id}/read":      (S, S, S, S, S, S, U),
    "GET /api/v1/network/export":                       (A, A, A, A, A, F, U),
    "GET /api/v1/network/path":                         (A, A, A, A, A, A, U),
    "GET /api/v1/network/person/{person_id}/dossier":   (S, S, S, S, S, F, U),
    "GET /api/v1/network/{kind}/{record_id}":           (S, S, S, S, S, F, U),
    "POST /api/v1/offers/check":                        (A, A, A, A, A, A, A),
    "GET /api/v1/offers/reports":                       (A, A, A, A, F, F, U),
    "GET /api/v1/organisations":                        (A, A, A, A, A, F, U),
    "POST /api/v1/organisations":                       (A, A, A, A, A, A, U),
    "GET /api/v1/organisations/{org_id}":               (A, A, A, A, A, F, U),
    "GET /api/v1/persons":                              (A, A, A, A, A, A, U),
    "POST /api/v1/persons":                             (A, F, A, A, A, F, U),
    "GET /api/v1/persons/{person_id}":                  (S, S, S, S, S, N, U),
    "PATCH /api/v1/persons/{person_id}":                (S, S, S, S, S, S, U),
    "GET /api/v1/persons/{person_id}/identifiers":      (S, S, S, S, S, N, U),
    "POST /api/v1/persons/{person_id}/identifiers":     (S, S, S, S, S, S, U),
    "GET /api/v1/referrals":                            (A, A, A, A, A, F, U),
    "GET /api/v1/referrals/{referral_id}":              (S, S, S, S, S, N, U),
    "POST /api/v1/referrals/{referral_id}/response":    (S, S, S, S, S, S, U),
    "GET /api/v1/retention/persons/{person_id}/export": (S, S, S, S, S, N, U),
    "POST /api/v1/screening/entries/{entry_id}/screening":
                                                        (S, S, S, S, S, S, U),
    "POST /api/v1/screening/evaluate":                  (A, A, A, A, A, F, U),
    "GET /api/v1/screening/flags":                      (A, A, A, F, F, F, U),
    "GET /api/v1/screening/flags/counts":               (A, A, A, A, A, A, U),
    "POST /api/v1/screening/flags/{flag_id}/decision":  (S, S, S, S, S, S, U),
    "POST /api/v1/screening/interventions":             (A, A, A, A, A, F, U),
    "GET /api/v1/screening/interventions/{intervention_id}":
                                                        (S, S, S, S, S, N, U),
    "GET /api/v1/screening/interventions/{intervention_id}/entries":
                                                        (S, S, S, S, S, N, U),
    "GET /api/v1/screening/interventions/{intervention_id}/referral-lists":
                                                        (S, S, S, S, S, N, U),
    "GET /api/v1/screening/interventions/{intervention_id}/referral-lists.{fmt}":
                                                        (S, S, S, S, S, N, U),
    "POST /api/v1/screening/interventions/{intervention_id}/roster":
                                                        (S, S, S, S, S, S, U),
    "GET /api/v1/screening/questionnaire":              (A, A, A, A, A, A, U),
    "GET /api/v1/screening/screenings":                 (A, A, A, A, A, F, U),
    "POST /api/v1/screening/screenings":                (A, A, A, A, A, F, U),
    "GET /api/v1/screening/screenings/{screening_id}":  (S, S, S, S, S, N, U),
    "POST /api/v1/screening/screenings/{screening_id}/referrals":
                                                        (S, S, S, S, S, S, U),
    "POST /api/v1/screening/status":                    (A, A, A, A, A, F, U),
    "GET /api/v1/stats/annual":                         (A, A, A, A, A, F, U),
    "GET /api/v1/stats/annual/records":                 (A, A, A, A, A, F, U),
    "GET /api/v1/stats/goals":                          (A, A, A, A, A, A, U),
    "GET /api/v1/stats/goals/panel":                    (A, A, A, A, A, A, U),
    "PATCH /api/v1/stats/goals/{goal_id}":              (S, S, F, F, F, F, U),
    "GET /api/v1/stats/privacy-budget":                 (A, A, A, A, A, A, U),
    "GET /api/v1/stats/releases":                       (A, A, A, A, A, A, U),
    "POST /api/v1/stats/releases":                      (A, A, A, A, A, A, U),
    "GET /api/v1/stats/releases/{release_id}":          (S, S, S, S, S, N, U),
    "GET /api/v1/support/cases/{case_id}/persons/{person_id}":
                                                        (S, S, S, S, S, N, U),
    "POST /api/v1/support/cases/{case_id}/persons/{person_id}/notes":
                                                        (S, S, S, S, S, S, U),
    "POST /api/v1/support/cases/{case_id}/persons/{person_id}/services":
                                                        (S, S, S, S, S, S, U),
    "POST /api/v1/support/cases/{case_id}/persons/{person_id}/steps":
                                                        (S, S, S, S, S, S, U),
    "POST /api/v1/support/cases/{case_id}/persons/{person_id}/tasks":
                                                        (S, S, S, S, S, S, U),
    "PATCH /api/v1/support/services/{service_id}":      (S, S, S, S, S, S, U),
    "POST /api/v1/support/services/{service_id}/followups":
                                                        (S, S, S, S, S, S, U),
    "GET /api/v1/support/tasks":                        (A, A, A, A, A, F, U),
    "POST /api/v1/support/tasks/{task_id}/done":        (S, S, S, S, S, S, U),
    "GET /api/v1/users":                                (A, F, F, F, F, F, U),
    "POST /api/v1/users":                               (A, A, A, A, A, A, U),
    "POST /api/v1/users/{user_id}/deactivate":          (S, F, F, F, F, F, U),
    "POST /api/v1/users/{user_id}/unlock":              (S, F, F, F, F, F, U),
    "GET /audit":                                       (A, F, F, F, F, F, L),
    "GET /audit/verify":                                (A, F, F, F, F, F, L),
    "GET /cases":                                       (A, A, A, A, A, F, L),
    "GET /cases/new":                                   (A, F, A, A, F, F, L),
    "POST /cases/new":                                  (A, F, A, A, F, F, L),
    "GET /cases/{case_id}":                             (S, S, S, S, S, N, L),
    "GET /cases/{case_id}/edit":                        (S, R, S, S, R, N, L),
    "POST /cases/{case_id}/edit":                       (S, S, S, S, S, S, L),
    "POST /cases/{case_id}/events":                     (S, S, S, S, S, S, L),
    "GET /cases/{case_id}/persons/new":                 (S, R, S, S, R, N, L),
    "POST /cases/{case_id}/persons/new":                (S, S, S, S, S, S, L),
    "GET /cases/{case_id}/referrals/new":               (S, R, S, S, R, N, L),
    "POST /cases/{case_id}/referrals/new":              (S, S, S, S, S, S, L),
    "POST /cases/{case_id}/shares":                     (S, S, S, S, S, S, L),
    "POST /cases/{case_id}/transitions":                (S, S, S, S, S, S, L),
    "GET /check":                                       (A, A, A, A, A, A, A),
    "POST /check":                                      (A, A, A, A, A, A, A),
    "GET /healthz":                                     (A, A, A, A, A, A, A),
    "GET /identifiers/search":                          (A, A, A, A, A, F, L),
    "GET /import":                                      (A, A, A, A, A, F, L),
    "POST /import":                                     (A, A, A, A, A, F, L),
    "GET /import/export.{fmt}":                         (A, A, A, A, A, F, L),
    "GET /import/sample.xlsx":                          (A, A, A, A, A, A, L),
    "POST /import/{token}/check":                       (S, S, S, S, S, S, L),
    "POST /import/{token}/run":                         (S, S, S, S, S, S, L),
    "GET /lang/{code}":                                 (A, A, A, A, A, A, A),
    "POST /lang/{code}":                                (A, A, A, A, A, A, A),
    "GET /linkage":                                     (A, A, A, A, F, F, L),
    "POST /linkage/decide":                             (A, A, A, A, A, A, L),
    "GET /linkage/review":                              (A, A, A, A, F, F, L),
    "GET /linkage/upload":                              (A, A, A, A, F, F, L),
    "POST /linkage/upload":                             (A, A, A, A, F, F, L),
    "GET /login":                                       (A, A, A, A, A, A, A),
    "POST /login":                                      (A, A, A, A, A, A, A),
    "POST /logout":                                     (A, A, A, A, A, A, L),
    "GET /network":                                     (A, A, A, A, A, F, L),
    "GET /network/alerts":                              (A, A, A, A, A, F, L),
    "GET /network/alerts/unread":                       (A, A, A, A, A, F, L),
    "POST /network/alerts/{alert_id:int}/read":         (S, S, S, S, S, S, L),
    "GET /network/export.{fmt}":                        (A, A, A, A, A, F, L),
    "GET /network/path":                                (A, A, A, A, A, A, L),
    "GET /network/person/{person_id:int}/dossier":      (S, S, S, S, S, F, L),
    "GET /network/person/{person_id:int}/dossier.pdf":  (S, S, S, S, S, F, L),
    "GET /network/static/{name}":                       (A, A, A, A, A, A, A),
    "GET /network/{kind}/{record_id:int}":              (S, S, S, S, S, F, L),
    "GET /network/{kind}/{record_id:int}/export.{fmt}": (S, S, S, S, S, F, L),
    "GET /offers":                                      (A, A, A, A, F, F, L),
    "POST /offers/{report_id}/status":                  (S, S, S, S, F, F, L),
    "GET /organisations":                               (A, A, A, A, A, F, L),
    "POST /organisations":                              (A, A, F, F, F, F, L),
    "GET /persons":                                     (A, A, A, A, A, A, L),
    "GET /persons/new":                                 (A, F, A, A, A, F, L),
    "POST /persons/new":                                (A, F, A, A, A, F, L),
    "GET /persons/{person_id}":                         (S, S, S, S, S, N, L),
    "GET /persons/{person_id}/edit":                    (S, F, S, S, R, F, L),
    "POST /persons/{person_id}/edit":                   (S, S, S, S, S, S, L),
    "POST /persons/{person_id}/identifiers":            (S, S, S, S, S, S, L),
    "GET /referrals":                                   (A, A, A, A, A, F, L),
    "GET /referrals/{referral_id}":                     (S, S, S, S, S, N, L),
    "POST /referrals/{referral_id}/response":           (S, S, S, S, S, S, L),
    "GET /retention":                                   (A, F, F, F, F, F, L),
    "GET /retention/persons/{person_id}/export.json":   (S, S, S, S, S, N, L),
    "GET /retention/persons/{person_id}/export.pdf":    (S, S, S, S, S, N, L),
    "POST /retention/purge":                            (A, F, F, F, F, F, L),
    "GET /screening":                                   (A, A, A, A, A, F, L),
    "GET /screening/cases/{case_id}/persons/{person_id}":
                                                        (S, S, S, S, S, N, L),
    "POST /screening/cases/{case_id}/persons/{person_id}":
                                                        (S, S, S, S, S, F, L),
    "POST /screening/cases/{case_id}/persons/{person_id}/status":
                                                        (S, S, S, S, S, S, L),
    "GET /screening/entries/{entry_id}":                (S, S, S, S, S, N, L),
    "POST /screening/entries/{entry_id}":               (S, S, S, S, S, S, L),
    "GET /screening/flags":                             (A, A, A, F, F, F, L),
    "POST /screening/flags/{flag_id}/decision":         (S, S, S, F, F, F, L),
    "GET /screening/interventions/new":                 (A, A, A, A, A, F, L),
    "POST /screening/interventions/new":                (A, A, A, A, A, F, L),
    "GET /screening/interventions/{intervention_id}":   (S, S, S, S, S, N, L),
    "GET /screening/interventions/{intervention_id}/referrals":
                                                        (S, S, S, S, S, N, L),
    "GET /screening/interventions/{intervention_id}/referrals.{fmt}":
                                                        (S, S, S, S, S, N, L),
    "POST /screening/interventions/{intervention_id}/roster":
                                                        (S, S, S, S, S, S, L),
    "POST /screening/screenings/{screening_id}/referrals":
                                                        (S, S, S, S, S, S, L),
    "GET /static/fonts/cjk.otf":                        (A, A, A, A, A, A, A),
    "GET /static/fonts/khmer.ttf":                      (A, A, A, A, A, A, A),
    "GET /static/fonts/thai.ttf":                       (A, A, A, A, A, A, A),
    "GET /stats/annual":                                (A, A, A, A, A, A, L),
    "GET /stats/annual/download":                       (A, A, A, A, A, F, L),
    "GET /stats/annual/records":                        (A, A, A, A, A, F, L),
    "GET /stats/goals":                                 (A, A, A, A, A, A, L),
    "POST /stats/goals":                                (A, A, A, A, A, A, L),
    "GET /stats/goals/panel":                           (A, A, A, A, A, A, L),
    "POST /stats/goals/{goal_id}":                      (S, S, S, S, S, S, L),
    "POST /stats/goals/{goal_id}/delete":               (S, S, F, F, F, F, L),
    "GET /stats/publication":                           (A, A, A, A, A, A, L),
    "POST /stats/publication":                          (A, A, A, A, A, A, L),
    "GET /stats/publication/{release_id}":              (S, S, S, S, S, N, L),
    "GET /support/cases/{case_id}/persons/{person_id}": (S, S, S, S, S, N, L),
    "POST /support/cases/{case_id}/persons/{person_id}/{form_name}":
                                                        (S, S, S, S, S, S, L),
    "POST /support/services/{service_id}/followups":    (S, S, S, S, S, S, L),
    "GET /support/tasks":                               (A, A, A, A, A, F, L),
    "POST /support/tasks/{task_id}/done":               (S, S, S, S, S, S, L),
    "GET /users":                                       (A, F, F, F, F, F, L),
    "POST /users":                                      (A, F, F, F, F, F, L),
    "POST /users/{user_id}/{verb}":                     (S, F, F, F, F, F, L),
}
# fmt: on

RULES: dict[str, dict[str, str]] = {
    key: dict(zip(ROLES, row, strict=True)) for key, row in _TABLE.items()
}
