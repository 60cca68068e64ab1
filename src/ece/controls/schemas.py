"""API shapes of emergency controls."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from ece.controls.service import REASON_MAX, PauseView, Scope

Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX)
]


class PauseIn(BaseModel):
    scope: Scope
    reason: Reason = Field(description="Why, shown to every user while the pause lasts")


class ResumeIn(BaseModel):
    scope: Scope


class PauseOut(BaseModel):
    scope: Scope
    reason: str
    since: datetime

    @classmethod
    def of(cls, view: PauseView) -> PauseOut:
        return cls(scope=view.scope, reason=view.reason, since=view.at)


class ResumeOut(BaseModel):
    scope: Scope
    resumed: bool = True
    paused_since: datetime


class StatusOut(BaseModel):
    """What is paused now. ``all`` stops every scope; reads always work."""

    paused: bool
    pauses: list[PauseOut]
