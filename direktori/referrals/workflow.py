"""The referral state machine: one table of allowed moves (CONVENTIONS 6; docs/security.md
"Referrals").

    action       from                                   to            who
    submit       (new)                                  submitted     CBO member or chair, officer
    acknowledge  submitted                              acknowledged  officer over the office
    start        acknowledged                           in_progress   officer over the office
    close        in_progress                            closed        officer over the office
    reject       submitted, acknowledged                rejected      officer over the office
    withdraw     submitted, acknowledged, in_progress   withdrawn     the reporter
    transfer     submitted, acknowledged, in_progress   submitted     officer over the office
    note         any (not once anonymised)              (unchanged)   officer over the office

"Officer over the office": a district or state officer or HQ administrator whose own area holds
the referral's `assigned_office` (break the glass opens reading, never acting).

A transfer keeps one referral with its whole history: it moves to the new district's office, back
to `submitted`, with a new acknowledgement target, and the new office is notified. No status
`transferred` exists; the `transfer` event says where it came from and went.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .models import OPEN_STATUSES, EventAction, Status


class Actor(StrEnum):
    OFFICER = "officer"
    REPORTER = "reporter"


@dataclass(frozen=True)
class Move:
    action: EventAction
    sources: tuple[Status, ...] | None  # None: from any status
    target: Status | None  # None: the status does not change
    actor: Actor


MOVES: dict[str, Move] = {
    move.action.value: move
    for move in (
        Move(EventAction.ACKNOWLEDGE, (Status.SUBMITTED,), Status.ACKNOWLEDGED, Actor.OFFICER),
        Move(EventAction.START, (Status.ACKNOWLEDGED,), Status.IN_PROGRESS, Actor.OFFICER),
        Move(EventAction.CLOSE, (Status.IN_PROGRESS,), Status.CLOSED, Actor.OFFICER),
        Move(
            EventAction.REJECT,
            (Status.SUBMITTED, Status.ACKNOWLEDGED),
            Status.REJECTED,
            Actor.OFFICER,
        ),
        Move(EventAction.WITHDRAW, OPEN_STATUSES, Status.WITHDRAWN, Actor.REPORTER),
        Move(EventAction.TRANSFER, OPEN_STATUSES, Status.SUBMITTED, Actor.OFFICER),
        Move(EventAction.NOTE, None, None, Actor.OFFICER),
    )
}

#: The actions `referral_transition` (and `POST /api/v1/referrals/{id}/transitions`) accept.
ACTIONS = tuple(MOVES)


def allowed_from(action: str, status: str) -> bool:
    move = MOVES[action]
    return move.sources is None or status in move.sources


def target_status(action: str, status: str) -> str:
    target = MOVES[action].target
    return status if target is None else target.value


def actions_from(status: str) -> list[str]:
    """The moves the state machine allows from `status`, whoever asks."""
    return [action for action in ACTIONS if allowed_from(action, status)]
