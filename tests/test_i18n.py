"""Every message the interface shows has a Khmer translation; placeholders survive."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from ctip.i18n import catalogue, translate

SRC = Path(__file__).resolve().parent.parent / "src" / "ctip"
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def interface_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SRC), METHODS, OPTIONS, keywords={"_": None, "gettext": None}
    ):
        if isinstance(message, str) and message.strip():
            found.add(message)
    return found


def test_every_interface_message_has_a_khmer_translation():
    khmer = catalogue("km")
    missing = sorted(m for m in interface_messages() if m not in khmer)
    assert missing == []


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)s", text))


def test_translations_keep_placeholders():
    broken = [m for m, t in catalogue("km").items() if placeholders(m) != placeholders(t)]
    assert broken == []


def test_missing_translation_falls_back_to_english():
    assert translate("A sentence nobody translated", "km") == "A sentence nobody translated"
