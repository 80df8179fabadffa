"""An SMS-length summary: what to do and how often, with no personal details."""

from __future__ import annotations

from routinekit import renderkit
from routinekit.model import Handout

#: Three SMS segments of 160 GSM characters; phones join them into one message.
MAX_CHARS = 480


def sms_text(handout: Handout, limit: int = MAX_CHARS) -> str:
    """``Title: About 5 minutes, 2-3 times a day. 1 Child's Pose (Hold 30-60 seconds); ...``.

    The patient's name and notes are left out on purpose: text messages are not a
    private channel. Exercises that do not fit are counted ("+2 more").
    """
    _ = renderkit.words(handout)
    head = f"{handout.title}: {renderkit.regimen_text(handout)}."
    tail_parts = []
    link = handout.video_url or next((i.video_url for i in handout.items if i.video_url), None)
    if handout.video_url:
        tail_parts.append(f"{_('Video')}: {link}")
    if handout.clinic and handout.clinic.phone:
        tail_parts.append(f"{_('Questions')}: {handout.clinic.phone}")
    tail = (" " + " ".join(tail_parts)) if tail_parts else ""
    items = [
        f"{i.number} {i.exercise.name}"
        + (f" ({renderkit.dose_text(handout, i, frequency=False)})" if not i.dose.is_empty else "")
        for i in handout.items
    ]
    if not items:
        body = " " + _("No exercises on this handout.")
        return (head + body + tail)[:limit]
    for shown in range(len(items), -1, -1):
        rest = len(items) - shown
        more = f"; +{rest} {_('more')}" if rest else ""
        body = (
            " " + "; ".join(items[:shown]) + more + "." if shown else f" +{rest} {_('exercises')}."
        )
        text = head + body + tail
        if len(text) <= limit:
            return text
    return (head + tail)[:limit]
