from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.asset import Asset
from ..models.collector_preferences_theme import CollectorPreferencesTheme
from ..types import UNSET, Unset

T = TypeVar("T", bound="CollectorPreferences")


@_attrs_define
class CollectorPreferences:
    """Your display choices and what your public profile shows (PUT replaces them all).

    Attributes:
        display_currency (Asset | Unset):
        hide_collection (bool | Unset): Hide showcase, stats and sales from your public profile Default: False.
        showcase (list[str] | Unset): Up to 6 cards you hold, in order
        theme (CollectorPreferencesTheme | Unset):  Default: CollectorPreferencesTheme.SYSTEM.
    """

    display_currency: Asset | Unset = UNSET
    hide_collection: bool | Unset = False
    showcase: list[str] | Unset = UNSET
    theme: CollectorPreferencesTheme | Unset = CollectorPreferencesTheme.SYSTEM

    def to_dict(self) -> dict[str, Any]:
        display_currency: str | Unset = UNSET
        if not isinstance(self.display_currency, Unset):
            display_currency = self.display_currency.value

        hide_collection = self.hide_collection

        showcase: list[str] | Unset = UNSET
        if not isinstance(self.showcase, Unset):
            showcase = self.showcase

        theme: str | Unset = UNSET
        if not isinstance(self.theme, Unset):
            theme = self.theme.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display_currency is not UNSET:
            field_dict["display_currency"] = display_currency
        if hide_collection is not UNSET:
            field_dict["hide_collection"] = hide_collection
        if showcase is not UNSET:
            field_dict["showcase"] = showcase
        if theme is not UNSET:
            field_dict["theme"] = theme

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _display_currency = d.pop("display_currency", UNSET)
        display_currency: Asset | Unset
        if isinstance(_display_currency, Unset):
            display_currency = UNSET
        else:
            display_currency = Asset(_display_currency)

        hide_collection = d.pop("hide_collection", UNSET)

        showcase = cast(list[str], d.pop("showcase", UNSET))

        _theme = d.pop("theme", UNSET)
        theme: CollectorPreferencesTheme | Unset
        if isinstance(_theme, Unset):
            theme = UNSET
        else:
            theme = CollectorPreferencesTheme(_theme)

        collector_preferences = cls(
            display_currency=display_currency,
            hide_collection=hide_collection,
            showcase=showcase,
            theme=theme,
        )

        return collector_preferences
