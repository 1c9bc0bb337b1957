"""Interface languages: gettext catalogues (``locale/<lang>/*.po``) merged per language.

Translators work with ordinary ``.po`` files (Poedit, Weblate); each part of CTIP keeps its
own file (``cases.po``, ``offers.po`` …) so parts can be translated independently. English
message ids are the source text; a missing translation falls back to English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from ctip.labels import LABELS
from ctip.reference import humanise

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "km": "ខ្មែរ"}
# Languages of the public offer checker (the registry interface is Khmer and English).
PUBLIC_LANGUAGES: dict[str, str] = {
    "km": "ខ្មែរ",
    "en": "English",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "zh": "中文",
}

_current: ContextVar[str] = ContextVar("ctip_language", default="en")


@cache
def catalogue(language: str) -> dict[str, str]:
    """Every translated message of ``language``, from all its ``.po`` files."""
    messages: dict[str, str] = {}
    folder = LOCALE_DIR / language
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        with path.open("rb") as fh:
            for message in read_po(fh, locale=None):
                if message.id and isinstance(message.id, str) and message.string:
                    messages[message.id] = str(message.string)
    return messages


def current_language() -> str:
    return _current.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Run a block (a request, a report) in ``language``."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def set_language(language: str) -> None:
    _current.set(language)


def translate(message: str, language: str | None = None, **params: Any) -> str:
    """``message`` in ``language`` (default: the current one), with ``%(name)s`` filled in."""
    text = catalogue(language or _current.get()).get(message, message)
    return text % params if params else text


def gettext(message: str, **params: Any) -> str:
    return translate(message, None, **params)


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    params.setdefault("num", n)
    return translate(singular if n == 1 else plural, None, **params)


def label(code: str | None) -> str:
    """The written label of a vocabulary code in the current language (``ctip.labels``)."""
    if not code:
        return ""
    return label_in(code, _current.get())


@cache
def label_in(code: str, language: str) -> str:
    """The label of a vocabulary code in ``language`` (reports written in a chosen language):
    the written English and Khmer of ``ctip.labels.LABELS`` (another language translates the
    English). A code of a part not yet in the table falls back to its catalogue entry."""
    written = LABELS.get(code)
    if written is None:
        return translate(humanise(code), language)
    english, khmer = written
    return khmer if language == "km" else translate(english, language)
