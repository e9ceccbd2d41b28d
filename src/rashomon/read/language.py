"""Language identification with lingua, on a restricted language set.

The detector is built once per process, lazily, in low-accuracy mode: trigram models
only (about 30 MB for the set below instead of several hundred), which is accurate on
article-length text. We never preload all languages (1.3 GB).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Languages the detector chooses between (lingua ``Language`` member names).
LANGUAGES: tuple[str, ...] = (
    "ENGLISH",
    "FRENCH",
    "GERMAN",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "RUSSIAN",
    "UKRAINIAN",
    "ARABIC",
    "PERSIAN",
    "TURKISH",
    "HEBREW",
    "CHINESE",
)
#: Characters looked at: enough for a confident answer, cheap on long articles.
SAMPLE_CHARS = 2000
#: Below this many characters the answer is too unreliable to record.
MIN_CHARS = 20


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when unsure.

    >>> detect_language("The attack in Kerman killed dozens of people on Wednesday.")
    'en'
    """
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None
    lang = _detector().detect_language_of(sample)
    if lang is None:
        return None
    return str(lang.iso_code_639_1.name).lower()
