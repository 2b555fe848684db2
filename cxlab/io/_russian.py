"""How much a decoded text looks like Russian: the evidence that chooses between cp1251 and KOI8-R."""

from __future__ import annotations

import re

# Non-ASCII punctuation that Russian exports carry in cp1251 (non-breaking space as thousands
# separator, guillemets, dashes, numero sign...): neutral evidence, neither Russian nor not.
_NEUTRAL = set("\u00a0«»–—№…“”„‘’•€°±§©®™")
# The ten most frequent lower-case letters of Russian text (о е а и н т с р в л ≈ 55% of letters).
_COMMON_RU = set("оеаинтсрвл")

def _russian_score(text: str) -> float:
    """How much a decoded text looks like Russian: 0 (not at all) to 1.

    Over the distinct non-ASCII words (a receipt prefix such as 'Ч-' repeated on every row
    counts once): the share of the ten commonest Russian letters, in either case (headers
    written in capitals, as 1C and many bank systems do, are Russian too), times the share of
    words written wholly in Cyrillic and in a natural case — lower, upper or capitalised. The
    other legacy encoding swaps the case of Cyrillic letters ('НОМЕР' in cp1251 read as KOI8-R
    is 'мНЛЕП'), and a Latin-1 text misread as cp1251 gives mixed words such as 'cafй'."""
    words = {w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()}
    letters = [ch for w in words for ch in w if ord(ch) > 127 and ch not in _NEUTRAL]
    if not letters:
        return 1.0
    common = sum(ch.lower() in _COMMON_RU for ch in letters) / len(letters)
    pure = sum(all("\u0400" <= ch <= "\u04ff" for ch in w) and _natural_case(w) for w in words) / len(words)
    return common * pure


def _natural_case(word: str) -> bool:
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())
