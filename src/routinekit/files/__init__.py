"""Reading the files people write: routines, patients, clinic profiles, exercise lists."""
