"""Words on the handout: doses in plain words per language, localised handouts, script checks.

For plugins, the wording of a dose or a regimen in any supported language::

    from routinekit.text import dose_text, regimen_text
    dose_text(item.dose, handout.language)        # "Hold 30-60 seconds, each side"
    regimen_text(handout.regimen, handout.language)  # "About 5 minutes, 2-3 times a day"
"""

from routinekit.text.dose_words import dose_text, frequency_words, regimen_text

__all__ = ["dose_text", "frequency_words", "regimen_text"]
