"""What the handout prints, against what the routine asked for.

Two checks:

* **shrink**: fewer than :data:`MIN_EXERCISES` exercises, or (when the patient's limits left
  exercises out) a session under half the time budget, is a warning (an error with
  ``--strict``): the patient may be left with too little to do; the therapist should look.
* **the top QR code**: the routine's video shows every exercise of the routine. It is
  printed only when the handout prints that same set; otherwise it is left out, unless the
  clinic profile has ``set_video_url_pattern`` to link to a video of exactly this set.
"""

from __future__ import annotations

from collections.abc import Sequence

from routinekit.model import ClinicProfile

#: A handout with fewer exercises than this is a warning.
MIN_EXERCISES = 3


def shrink_warning(
    printed: int, offered: int, minutes: float, budget: float | None, *, limited: bool = True
) -> str | None:
    """Why the handout is smaller than what was asked for, or None.

    The time rule applies when the patient's limits left something out (``limited``): a
    strategy that keeps sessions short on purpose (acute) is not a routine that shrank.
    """
    problems: list[str] = []
    if printed < MIN_EXERCISES and printed < offered:
        noun = "exercise" if printed == 1 else "exercises"
        problems.append(f"only {printed} {noun} left of the routine's {offered}")
    if limited and budget is not None and minutes < budget / 2:
        problems.append(
            f"the session takes about {max(1, round(minutes))} min, under half the "
            f"{budget:g}-minute time budget"
        )
    if not problems:
        return None
    return (
        "the routine shrank: " + " and ".join(problems) + "; check the limits and the "
        "budget (build --explain says what was left out and why)"
    )


def top_video(
    routine_video: str | None,
    routine_id: str,
    routine_ids: Sequence[str],
    printed_ids: Sequence[str],
    clinic: ClinicProfile | None,
) -> tuple[str | None, str | None]:
    """The link for the top QR code, and why there is none (or why it is a set link)."""
    if set(printed_ids) == set(routine_ids):
        return routine_video, None
    missing = [i for i in routine_ids if i not in printed_ids]
    added = [i for i in printed_ids if i not in routine_ids]
    parts = []
    if missing:
        parts.append("leaves out " + ", ".join(missing))
    if added:
        parts.append("adds " + ", ".join(added))
    differs = "this handout " + " and ".join(parts)
    if clinic is not None and clinic.set_video_url_pattern:
        url = clinic.set_video(routine_id, printed_ids)
        return url, f"{differs}, so the top QR code links to the clinic's video of this set"
    if routine_video is None:
        return None, None
    return None, (
        f"no QR code at the top: the routine's video shows every exercise, and {differs}; "
        "a clinic profile can give set_video_url_pattern for a video of this set"
    )
