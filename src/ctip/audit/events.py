"""Every audit action CTIP writes, with its meaning (documented in docs/audit.md)."""

from __future__ import annotations

AUDIT_ACTIONS: dict[str, str] = {
    "auth.login": "A user logged in (page or API token).",
    "auth.login_failed": "A log-in attempt failed; the username tried is kept.",
    "auth.logout": "A user logged out (the session ends on the server).",
    "auth.locked": "A log-in was refused because the username or address had too many "
    "recent failures (429).",
    "auth.unlock": "An administrator lifted a log-in lock-out on a username or address.",
    "auth.password_change": "A user changed their password (every session and API token of "
    "theirs ended).",
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
    "person.search": "Someone searched persons by name (ids of the persons listed kept).",
    "identifier.create": "An identifier was added to a person or case.",
    "identifier.search": "Someone searched for an identifier value.",
    "referral.create": "A referral was made.",
    "referral.respond": "A referral was accepted or declined.",
    "org.create": "An organisation was added to the register.",
    "export": "Records left the system as a file or bulk API response.",
    "demo.load": "Demo data was loaded.",
    "audit.read": "An administrator browsed the audit log.",
    "audit.verify": "The audit trail's keyed hashes and seals were checked (counts of "
    "entries, seals and problems kept).",
    "keys.rotate": "A key rotation started, resumed or finished (key ids; rows re-encrypted "
    "and re-indexed per table).",
    "keys.rebind": "Stored values were bound to their table, column and row (rows per table).",
    # backup and retention (issue 9 §6, §8)
    "backup.create": "A backup of the whole registry was written (engine, file name, size).",
    "backup.restore": "The registry was replaced by a backup (file name; the audit chain "
    "verified after it).",
    "retention.set": "A case's or person's retention date was set or changed.",
    "retention.purge": "Records past their retention date were deleted (counts only, never "
    "what they held).",
    "person.export_all": "Everything held about one person left the system (for that person "
    "or a court; format and counts kept).",
    # statistics (issue 8 §1-3)
    "stats.goal_create": "The secretariat recorded a goal (metric, comparison, target, period).",
    "stats.goal_delete": "A goal was withdrawn.",
    "stats.goal_update": "A goal's target, comparison or period was changed (before and after).",
    "stats.report": "An annual report was computed or downloaded (period, province, format).",
    # screening (issue 3)
    "intervention.create": "An intervention (raid, rescue) was recorded on a case.",
    "roster.import": "An intervention roster was imported (counts of rows kept and refused).",
    "screening.create": "A person was screened for trafficking (answers and result kept).",
    "screening.status_confirm": "A trafficking status was confirmed on a victim role.",
    "nonpunishment.raise": "A person was flagged as both a victim and a suspect.",
    "nonpunishment.clear": "A non-punishment flag was cleared (no longer victim and suspect).",
    "nonpunishment.decide": "A non-punishment flag was decided, with its reason.",
    # offer checker (issue 4)
    "offer.identifier_hit": "A public offer check found a phone or handle linked to a suspect "
    "or broker (blind indexes kept, never the offer text).",
    "offer.report": "A member of the public reported a job offer (a tip for analysts).",
    "offer.scan": "Flagged posts from a bulk scan were saved as offers to review.",
    "offer.read": "An analyst opened the reported offers and scan hits.",
    "offer.review": "An analyst marked a reported offer reviewed or dismissed.",
    # imports and HTCDS exports (issue 10)
    "import.preview": "A file was previewed for import (row and error counts, ids of the "
    "in-scope persons reported as likely the same).",
    "import.run": "A file was imported as one batch (counts of cases and persons created, "
    "updated, unchanged and skipped).",
    "import.mapping_save": "A column mapping for spreadsheet imports was saved.",
    # publication and partner exports (issue 8 §4-5)
    "publication.release": "A release of public tables was made (year, method, k or ε, "
    "cells suppressed).",
    "export.ctdc": "Victim microdata left in CTDC's k-anonymous layout (scope, years, k, rows "
    "written and suppressed).",
    "export.dhis2": "Figures left as a DHIS2 dataValueSets file (period, scope, values).",
    "export.ictip": "IC-TIP-aligned tables left as a file (year, scope, protection).",
    # networks and alerts (issue 7 §3-4)
    "network.read": "Someone opened a network view or a shortest path (ids of the persons "
    "shown kept).",
    "network.list": "Someone opened the list of networks (filters and ids of the persons named).",
    "network.export": "A network left as GraphML, GEXF or i2 ANX (format, centre, hops, ids of "
    "the persons in it).",
    "network.dossier": "A suspect dossier was opened or printed (records and linked persons).",
    "alert.create": "A change raised alerts for other cases' officers and analysts (alert ids "
    "and recipients kept).",
    "alert.read": "A user marked one of their alerts read.",
    # linkage (issue 7 §1-2)
    "person.extract": "Persons were read in bulk for linkage (purpose and count kept).",
    "linkage.run": "The registry's persons were re-linked (run id, engine, counts kept).",
    "linkage.decide": "An analyst confirmed or rejected (or withdrew a decision on) a pair of "
    "person records as the same person.",
    "linkage.read": "Someone opened linkage results: a person's probable matches, the review "
    "queue or the model.",
    "linkage.file": "An outside list was matched against another list or the registry "
    "(row counts kept, never the list).",
    # victim support plans (issue 12)
    "support.read": "A victim's support plan was opened (a read of the person).",
    "support.service_add": "A service was added to a victim's support plan.",
    "support.service_update": "A support service's status changed (before and after kept).",
    "support.followup_add": "A follow-up of a support service was recorded (never its note).",
    "support.note_add": "A case note was written (organisations shared with kept, never the text).",
    "support.task_add": "A support task with a due date was added.",
    "support.task_done": "A support task was marked done.",
    "support.step_add": "A reintegration or repatriation step went on the case timeline.",
}
