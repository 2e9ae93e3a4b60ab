"""Is an article German? Checked before any analysis is spent on it (ingest and the Spark job)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .. import settings

DETECTED_LANGUAGES = ("GERMAN", "ENGLISH", "FRENCH", "SPANISH", "ITALIAN", "DUTCH", "POLISH", "TURKISH")


@lru_cache(maxsize=1)
def language_detector() -> Any:
    """Built once: a handful of likely languages in low-accuracy mode is fast and plenty to tell German apart."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in DETECTED_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def language_of(text: str) -> str | None:
    """ISO 639-1 code ('de', 'en', ...) of the text's opening, or None when it cannot tell."""
    found = language_detector().detect_language_of(text[: settings.LANGUAGE_SAMPLE])
    return found.iso_code_639_1.name.lower() if found else None


def not_german(text: str) -> str | None:
    """Why an article is skipped ('language en', 'language unknown'), or None when it is German."""
    language = language_of(text)
    return None if language == "de" else f"language {language or 'unknown'}"
