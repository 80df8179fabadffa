# ruff: noqa: E501  (the expected messages are long single lines on purpose)
"""A corpus of hand-written broken inputs, each with the exact one-line error a user sees.

Every case runs the real command line (in-process) from ``tests/broken/`` and checks:
exit status 2, exactly one line on stderr, no traceback, and the exact text, which names
the file, line and field (or option) and says what to do. The files are in
``tests/broken/{routines,patients,clinics}/``; ``routines/valid.yaml`` is the good routine
the patient, clinic and flag cases build.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

BROKEN = Path(__file__).resolve().parent / "broken"

CASES: list[tuple[str, list[str], str]] = [
    (
        "routines/acute-no-red-flags.yaml",
        [
            "build",
            "routines/acute-no-red-flags.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: routines/acute-no-red-flags.yaml, line 1, field 'red_flags': an acute routine has no red flags; add red_flags: the signs that mean stop and call a doctor; or build with --guards warn if you are sure",
    ),
    (
        "routines/alias-bomb.yaml",
        ["build", "routines/alias-bomb.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/alias-bomb.yaml, line 4: expands to more than 200,000 values (too many aliases or entries)",
    ),
    (
        "routines/backwards-range.yaml",
        [
            "build",
            "routines/backwards-range.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: routines/backwards-range.yaml, line 7, field 'exercises[0].dose.reps': range 15-10 runs backwards; write the low end first",
    ),
    (
        "routines/bad-exclude.yaml",
        ["build", "routines/bad-exclude.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/bad-exclude.yaml, line 7, field 'strategy.exclude': cannot exclude 'skiing': not a position, movement or exercise id; did you mean 'side-lying'?",
    ),
    (
        "routines/bad-yaml.yaml",
        ["build", "routines/bad-yaml.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/bad-yaml.yaml, line 7: is not valid YAML: this line is indented differently from the lines around it; line it up with the other keys or list items at its level",
    ),
    (
        "routines/control-char.yaml",
        ["build", "routines/control-char.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/control-char.yaml, line 3: contains a control character (U+0007); remove it or save the file as plain text",
    ),
    (
        "routines/deep-nesting.yaml",
        ["build", "routines/deep-nesting.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/deep-nesting.yaml, line 5: is nested more than 40 levels deep; flatten the lists and mappings",
    ),
    (
        "routines/duplicate-key.yaml",
        ["build", "routines/duplicate-key.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/duplicate-key.yaml, line 5, field 'title': duplicate key 'title'; each key may appear once; remove or merge the repeats",
    ),
    (
        "routines/empty-note.yaml",
        ["build", "routines/empty-note.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/empty-note.yaml, line 7, field 'exercises[0].note': must not be empty",
    ),
    (
        "routines/ftp-video.yaml",
        ["build", "routines/ftp-video.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/ftp-video.yaml, line 7, field 'exercises[0].video_url': expected a web address starting with https://",
    ),
    (
        "routines/huge-reps.yaml",
        ["build", "routines/huge-reps.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/huge-reps.yaml, line 7, field 'exercises[0].dose.reps': 500 reps for 'cat-cow' is over the limit of 100 reps; check for a typing mistake; or build with --guards warn if you are sure",
    ),
    (
        "routines/latin1.yaml",
        ["build", "routines/latin1.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/latin1.yaml, line 3: is not valid UTF-8 text; save the file as UTF-8",
    ),
    (
        "routines/listed-twice.yaml",
        ["build", "routines/listed-twice.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/listed-twice.yaml, line 7, field 'exercises[1].id': exercise 'cat-cow' is listed twice (also entry 1); list each exercise once",
    ),
    (
        "routines/long-hold.yaml",
        ["build", "routines/long-hold.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/long-hold.yaml, line 7, field 'exercises[0].dose.hold': a hold of 1800 seconds for 'cat-cow' is over the limit of 300 seconds; check for a typing mistake; or build with --guards warn if you are sure",
    ),
    (
        "routines/missing-title.yaml",
        ["build", "routines/missing-title.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/missing-title.yaml, line 1: missing required field 'title'; add 'title'",
    ),
    (
        "routines/misspelled-field.yaml",
        [
            "build",
            "routines/misspelled-field.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: routines/misspelled-field.yaml, line 5, field 'exercise': unknown field 'exercise'; did you mean 'exercises'?",
    ),
    (
        "routines/nan-hold.yaml",
        ["build", "routines/nan-hold.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/nan-hold.yaml, line 7, field 'exercises[0].dose.hold': must be a finite number",
    ),
    (
        "routines/negative-hold.yaml",
        ["build", "routines/negative-hold.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/negative-hold.yaml, line 7, field 'exercises[0].dose.hold': must not be negative",
    ),
    (
        "routines/no-exercises.yaml",
        ["build", "routines/no-exercises.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/no-exercises.yaml, line 5, field 'exercises': expected a list of at least 1",
    ),
    (
        "routines/not-a-mapping.yaml",
        ["build", "routines/not-a-mapping.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/not-a-mapping.yaml, line 1: must be a mapping of fields (title, exercises, ...); see `routinekit schema`",
    ),
    (
        "routines/password-video.yaml",
        [
            "build",
            "routines/password-video.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: routines/password-video.yaml, line 7, field 'exercises[0].video_url': video link contains a user name or password; remove the part before '@'; never put passwords in a handout",
    ),
    (
        "routines/python-tag.yaml",
        ["build", "routines/python-tag.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/python-tag.yaml, line 7, field 'exercises[0].note': cannot read value: the tag '!!python/object/apply:os.system' is not allowed; routinekit reads plain text, numbers, lists and mappings only",
    ),
    (
        "routines/text-dose.yaml",
        ["build", "routines/text-dose.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/text-dose.yaml, line 7, field 'exercises[0].dose.hold': expected a number or a range like 30-60, got 'a while'",
    ),
    (
        "routines/too-often.yaml",
        ["build", "routines/too-often.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/too-often.yaml, line 7, field 'exercises[0].dose.times_per_day': 30 times a day for 'cat-cow' is over the limit of 12 times a day; check for a typing mistake; or build with --guards warn if you are sure",
    ),
    (
        "routines/tracking-days.yaml",
        ["build", "routines/tracking-days.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/tracking-days.yaml, line 6, field 'tracking_log.days': expected a whole number of at most 31",
    ),
    (
        "routines/unknown-exercise.yaml",
        [
            "build",
            "routines/unknown-exercise.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: routines/unknown-exercise.yaml, line 7, field 'exercises[1].id': unknown exercise 'child-pose'; did you mean 'childs-pose'?",
    ),
    (
        "routines/unknown-strategy.yaml",
        [
            "build",
            "routines/unknown-strategy.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: routines/unknown-strategy.yaml, line 4, field 'strategy.id': unknown strategy 'progresive'; did you mean 'progressive'?",
    ),
    (
        "routines/uppercase-id.yaml",
        ["build", "routines/uppercase-id.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/uppercase-id.yaml, line 6, field 'exercises[0].id': expected an id of lowercase letters, digits and dashes, like cat-cow",
    ),
    (
        "routines/version-2.yaml",
        ["build", "routines/version-2.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/version-2.yaml, line 1, field 'routinekit': format version 2 is not supported; this routinekit reads version 1",
    ),
    (
        "routines/zero-hold.yaml",
        ["build", "routines/zero-hold.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/zero-hold.yaml, line 7, field 'exercises[0].dose.hold': a hold of 0 seconds for 'cat-cow' cannot be done; give a number above 0, or leave the field out; or build with --guards warn if you are sure",
    ),
    (
        "patients/bad-date.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/bad-date.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/bad-date.yaml, line 2, field 'date': cannot read value: it is not a real date; write dates as YYYY-MM-DD",
    ),
    (
        "patients/dose-typo.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/dose-typo.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/dose-typo.yaml, line 3, field 'doses.cat-cows': dose override for unknown exercise 'cat-cows'; did you mean 'cat-cow'?",
    ),
    (
        "patients/empty-name.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/empty-name.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/empty-name.yaml, line 1, field 'name': must not be empty",
    ),
    (
        "patients/huge-dose.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/huge-dose.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/huge-dose.yaml, line 3, field 'doses.cat-cow.reps': 1000 reps for 'cat-cow' is over the limit of 100 reps; check for a typing mistake; or build with --guards warn if you are sure",
    ),
    (
        "patients/list.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/list.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/list.yaml, line 1: must be a mapping of fields (name, date, exclude, ...)",
    ),
    (
        "patients/negative-minutes.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/negative-minutes.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/negative-minutes.yaml, line 2, field 'minutes': expected a number above 0",
    ),
    (
        "patients/unknown-exclusion.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/unknown-exclusion.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/unknown-exclusion.yaml, line 2, field 'exclude': cannot exclude 'skiing': not a position, movement or exercise id; did you mean 'side-lying'?",
    ),
    (
        "patients/unknown-field.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/unknown-field.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/unknown-field.yaml, line 2, field 'key 2': unknown field; known fields: name, date, therapist, clinic, notes, exclude, language, doses, minutes, max_difficulty",
    ),
    (
        "clinics/fake-logo.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/fake-logo.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/fake-logo.yaml, line 2, field 'logo': logo 'fake-logo.png' is not a PNG or JPEG picture; save it as .png or .jpg",
    ),
    (
        "clinics/javascript-pattern.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/javascript-pattern.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/javascript-pattern.yaml, line 2, field 'video_url_pattern': expected a web address starting with https:// with {id} where the id goes",
    ),
    (
        "clinics/missing-logo.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/missing-logo.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/missing-logo.yaml, line 2, field 'logo': logo file not found: nowhere.png; check the path",
    ),
    (
        "clinics/no-name.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/no-name.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/no-name.yaml, line 1: missing required field 'name'; add 'name'",
    ),
    (
        "clinics/web-logo.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/web-logo.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/web-logo.yaml, line 2, field 'logo': logo 'https://example.org/logo.png' is a link; routinekit never downloads pictures; save the picture next to the routine file and give its file name",
    ),
    (
        "no-routine",
        ["build"],
        "Error: routinekit build: Missing argument 'ROUTINE'; see `routinekit build --help`",
    ),
    (
        "bad-minutes",
        ["build", "routines/valid.yaml", "--minutes", "0"],
        "Error: routinekit build: Invalid value for '--minutes': 0.0 is not in the range 0.5<=x<=240; see `routinekit build --help`",
    ),
    (
        "bad-format",
        ["build", "routines/valid.yaml", "-f", "docx"],
        "Error: option '--format': unknown format 'docx'; see `routinekit renderers`",
    ),
    (
        "bad-strategy",
        [
            "build",
            "routines/valid.yaml",
            "--strategy",
            "progresive",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: option '--strategy': unknown strategy 'progresive'; did you mean 'progressive'?",
    ),
    (
        "bad-exclude",
        [
            "build",
            "routines/valid.yaml",
            "--exclude",
            "prone,skiing",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: option '--exclude': cannot exclude 'skiing': not a position, movement or exercise id; did you mean 'side-lying'?",
    ),
    (
        "bad-date",
        ["build", "routines/valid.yaml", "--date", "2026-02-30"],
        "Error: routinekit build: Invalid value for '--date': '2026-02-30' does not match the format '%Y-%m-%d'; see `routinekit build --help`",
    ),
    (
        "bad-guards",
        ["build", "routines/valid.yaml", "--guards", "loose"],
        "Error: routinekit build: Invalid value for '--guards': 'loose' is not one of 'standard', 'strict', 'warn', 'off'; see `routinekit build --help`",
    ),
    (
        "unknown-option",
        ["build", "routines/valid.yaml", "--colour"],
        "Error: routinekit build: No such option '--colour'; see `routinekit build --help`",
    ),
    (
        "unknown-command",
        ["bild", "routines/valid.yaml"],
        "Error: routinekit: No such command 'bild'; see `routinekit --help`",
    ),
    (
        "missing-file",
        ["build", "routines/nowhere.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/nowhere.yaml: file not found; check the path",
    ),
    (
        "no-template",
        ["build", "nowhere", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: no routine file or template named 'nowhere'; see `routinekit templates`",
    ),
    (
        "folder",
        ["build", "routines", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines: is a folder, not a file",
    ),
    (
        "missing-patient",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/nowhere.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patient file not found; check the path (it is not shown here, in case it is a person's name)",
    ),
    (
        "output-dir",
        ["build", "routines/valid.yaml", "-f", "json", "-o", "routines"],
        "Error: routinekit build: Invalid value for '-o' / '--output': File 'routines' is a directory; see `routinekit build --help`",
    ),
    (
        "control-exclude",
        [
            "build",
            "routines/valid.yaml",
            "--exclude",
            "sk\x1b[2Jiing",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: option '--exclude': cannot exclude 'sk\\x1b[2Jiing': not a position, movement or exercise id; use a position (e.g. prone), a movement (e.g. rotation) or an exercise id",
    ),
    (
        "validate-unknown",
        ["validate", "routines/unknown-exercise.yaml"],
        "Error: routines/unknown-exercise.yaml, line 7, field 'exercises[1].id': unknown exercise 'child-pose'; did you mean 'childs-pose'?",
    ),
    # -- second round (issue 21): YAML constructs, hostile links, outputs, private keys
    (
        "routines/merge-scalar.yaml",
        ["build", "routines/merge-scalar.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/merge-scalar.yaml, line 10, field 'tracking_log': '<<' (merge) must be followed by a mapping or a list of mappings; write '<<: *name' where '&name' marks a mapping, or remove the '<<' line",
    ),
    (
        "routines/timestamp-tag.yaml",
        ["build", "routines/timestamp-tag.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/timestamp-tag.yaml, line 10, field 'tracking_log.days': cannot read value: it is tagged !!timestamp but is not a date; write dates as YYYY-MM-DD",
    ),
    (
        "routines/bool-tag.yaml",
        ["build", "routines/bool-tag.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/bool-tag.yaml, line 3, field 'title': cannot read value: it is tagged !!bool but is not true or false; remove the tag or fix the value",
    ),
    (
        "routines/int-tag.yaml",
        ["build", "routines/int-tag.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/int-tag.yaml, line 9, field 'tracking_log.days': cannot read value: it is tagged !!int but is not a whole number; remove the tag or fix the value",
    ),
    (
        "routines/binary-tag.yaml",
        ["build", "routines/binary-tag.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/binary-tag.yaml, line 8, field 'exercises[0].note': cannot read value: the tag '!!binary' is not allowed; routinekit reads plain text, numbers, lists and mappings only",
    ),
    (
        "routines/escape-title.yaml",
        ["build", "routines/escape-title.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/escape-title.yaml, line 3, field 'title': contains a control character (U+001B); remove the escape (such as \\e or \\x1b) from the text",
    ),
    (
        "routines/tab-indent.yaml",
        ["build", "routines/tab-indent.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/tab-indent.yaml, line 7: is not valid YAML: a tab where spaces are expected; indent with spaces, not tabs",
    ),
    (
        "routines/two-documents.yaml",
        ["build", "routines/two-documents.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/two-documents.yaml, line 9: is not valid YAML: the file holds more than one document (a second '---'); keep one document per file",
    ),
    (
        "routines/text-bomb.yaml",
        ["build", "routines/text-bomb.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/text-bomb.yaml, line 7: expands to more than 2,000,000 characters of text (too many aliases or entries)",
    ),
    (
        "routines/rtl-title.yaml",
        ["build", "routines/rtl-title.yaml", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/rtl-title.yaml, line 3, field 'title': 'title' contains right-to-left text (right-to-left mark), which the PDF cannot print in the right order; write it in Latin letters for the PDF, or use -f html (browsers lay out right-to-left text)",
    ),
    (
        "routines/long-video.yaml",
        ["build", "routines/long-video.yaml", "-f", "json", "-o", "OUT", "--date", "2026-01-01"],
        "Error: routines/long-video.yaml, line 9, field 'video_url': the video link is too long for a 34 mm QR code (1427 characters: 'https://videos.example.org/vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv...'); use a shorter link, for example from your video host's share button",
    ),
    (
        "validate-rtl-title",
        ["validate", "routines/rtl-title.yaml"],
        "Error: routines/rtl-title.yaml, line 3, field 'title': 'title' contains right-to-left text (right-to-left mark), which the PDF cannot print in the right order; write it in Latin letters for the PDF, or use -f html (browsers lay out right-to-left text)",
    ),
    (
        "validate-long-video",
        ["validate", "routines/long-video.yaml"],
        "Error: routines/long-video.yaml, line 9, field 'video_url': the video link is too long for a 34 mm QR code (1427 characters: 'https://videos.example.org/vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv...'); use a shorter link, for example from your video host's share button",
    ),
    (
        "validate-escape-title",
        ["validate", "routines/escape-title.yaml"],
        "Error: routines/escape-title.yaml, line 3, field 'title': contains a control character (U+001B); remove the escape (such as \\e or \\x1b) from the text",
    ),
    (
        "patients/keyed-by-name.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/keyed-by-name.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/keyed-by-name.yaml, line 2, field 'key 2': unknown field; known fields: name, date, therapist, clinic, notes, exclude, language, doses, minutes, max_difficulty",
    ),
    (
        "patients/duplicate-name-key.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/duplicate-name-key.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/duplicate-name-key.yaml, line 2, field 'key 1': duplicate key; each key may appear once; remove or merge the repeats",
    ),
    (
        "patients/bool-name.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/bool-name.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patients/bool-name.yaml, line 1, field 'name': cannot read value: it is tagged !!bool but is not true or false; remove the tag or fix the value",
    ),
    (
        "clinics/password-website.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/password-website.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/password-website.yaml, line 2, field 'website': website contains a user name or password; remove the part before '@'; never put passwords in a handout",
    ),
    (
        "clinics/password-pattern.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/password-pattern.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/password-pattern.yaml, line 2, field 'video_url_pattern': video link pattern contains a user name or password; remove the part before '@'; never put passwords in a handout",
    ),
    (
        "clinics/rlo-website.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/rlo-website.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/rlo-website.yaml, line 2, field 'website': website 'https://example-clinic.org/\\u202egpj.exe' contains a space, a control character or an invisible character (such as U+202E or U+200B); type the link again by hand, or copy it from the address bar",
    ),
    (
        "clinics/zwsp-pattern.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/zwsp-pattern.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/zwsp-pattern.yaml, line 2, field 'video_url_pattern': video link pattern 'https://videos.exa\\u200bmple.org/id' contains a space, a control character or an invisible character (such as U+202E or U+200B); type the link again by hand, or copy it from the address bar",
    ),
    (
        "clinics/long-pattern.yaml",
        [
            "build",
            "routines/valid.yaml",
            "--clinic",
            "clinics/long-pattern.yaml",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: clinics/long-pattern.yaml, line 2, field 'video_url_pattern': the video links this pattern makes are too long for a 26 mm QR code (808 characters); use a shorter link, for example from your video host's share button",
    ),
    (
        "validate-clinic-long-pattern",
        ["validate", "routines/valid.yaml", "--clinic", "clinics/long-pattern.yaml"],
        "Error: clinics/long-pattern.yaml, line 2, field 'video_url_pattern': the video links this pattern makes are too long for a 26 mm QR code (808 characters); use a shorter link, for example from your video host's share button",
    ),
    (
        "patient-given-as-a-name",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "Zelda Quixotic-Marchbanks",
            "-f",
            "json",
            "-o",
            "OUT",
            "--date",
            "2026-01-01",
        ],
        "Error: patient file not found; check the path (it is not shown here, in case it is a person's name)",
    ),
    (
        "output-empty",
        ["build", "routines/valid.yaml", "-f", "json", "-o", ""],
        "Error: .: the output is a folder; give a file name, e.g. -o handout.pdf",
    ),
    (
        "output-is-the-patient",
        [
            "build",
            "routines/valid.yaml",
            "--patient",
            "patients/valid.yaml",
            "-f",
            "json",
            "-o",
            "patients/valid.yaml",
        ],
        "Error: patients/valid.yaml: the output is one of the input files; writing would overwrite it; give another output name with -o",
    ),
    (
        "output-is-the-routine",
        ["build", "routines/valid.yaml", "-f", "json", "-o", "routines/valid.yaml"],
        "Error: routines/valid.yaml: the output is one of the input files; writing would overwrite it; give another output name with -o",
    ),
]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    files = {p.relative_to(BROKEN).as_posix() for p in BROKEN.rglob("*.yaml")}
    used = {a for _, argv, _ in CASES for a in argv}
    assert files <= used, f"broken files without a case: {sorted(files - used)}"


def test_the_valid_routine_builds(
    run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(BROKEN)
    result = run_cli("build", "routines/valid.yaml", "-f", "json", "-o", tmp_path / "h.json")
    assert result.code == 0, result.err  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "argv", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_input_gives_one_exact_line(
    name: str,
    argv: list[str],
    expected: str,
    run_cli: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(BROKEN)
    out = tmp_path / "out.json"
    result = run_cli(*[str(out) if a == "OUT" else a for a in argv])
    err: str = result.err  # type: ignore[attr-defined]
    assert result.code == 2, err  # type: ignore[attr-defined]
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.rstrip("\n") == expected
    assert not out.exists(), "no handout is written from broken input"
