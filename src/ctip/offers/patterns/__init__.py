"""Phrase patterns of the red-flag cue families, one module per language.

Each module defines ``PATTERNS``: family -> variant -> regular expressions written
against the normalised text (lower case, ASCII digits, NFC). A *variant* is one way a
sign shows (a tourist visa is not a free ticket), so the explanation can say why that
sign matters. Vietnamese patterns are matched with diacritics folded away (see
``ctip.offers.normalize.fold``), so they are written in either form and match both.

Sources: the cue families and schemes of DOMAIN.md §6 (ILO, IOM, Polaris, OHCHR 2023,
UNODC 2023, INTERPOL 2023, FBI 2023, embassy advisories). The Khmer, Thai, Vietnamese
and Chinese patterns are a DRAFT by a non-native speaker: native speakers must review
them before anyone relies on them.
"""
