"""routinekit's own plugins. They use the same hooks a third-party plugin does."""
