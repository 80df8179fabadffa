"""Words on the handout: doses in plain words per language, localised handouts, script checks."""
