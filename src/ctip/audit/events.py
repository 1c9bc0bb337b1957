"""Every audit action CTIP writes, with its meaning (documented in docs/audit.md)."""

from __future__ import annotations

AUDIT_ACTIONS: dict[str, str] = {
    "auth.login": "A user logged in (page or API token).",
    "auth.login_failed": "A log-in attempt failed; the username tried is kept.",
    "auth.logout": "A user logged out.",
    "user.create": "An administrator created a user.",
    "user.update": "A user's role, scope, language or password changed.",
    "case.create": "A case was recorded.",
    "case.read": "A case page or record was opened.",
    "case.update": "A case's fields changed (before and after kept).",
    "case.transition": "A case moved along its lifecycle.",
    "case.share": "A case was shared with another agency.",
    "case.person_add": "A person was attached to a case in a role.",
    "case.person_update": "A person's role details on a case changed.",
    "case.person_remove": "A person was detached from a case role.",
    "event.create": "A timeline event was added to a case.",
    "person.create": "A person was recorded.",
    "person.read": "A person's record was opened (names decrypted for the reader).",
    "person.update": "A person's record changed (before and after kept).",
    "identifier.create": "An identifier was added to a person or case.",
    "identifier.search": "Someone searched for an identifier value.",
    "referral.create": "A referral was made.",
    "referral.respond": "A referral was accepted or declined.",
    "export": "Records left the system as a file or bulk API response.",
    "demo.load": "Demo data was loaded.",
    "audit.read": "An administrator browsed the audit log.",
}
