from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rarity import Rarity
from ..types import UNSET, Unset

T = TypeVar("T", bound="OfferFilterIn")


@_attrs_define
class OfferFilterIn:
    """
    Attributes:
        min_power (int | None | Unset):
        rarity (None | Rarity | Unset):
    """

    min_power: int | None | Unset = UNSET
    rarity: None | Rarity | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        min_power: int | None | Unset
        if isinstance(self.min_power, Unset):
            min_power = UNSET
        else:
            min_power = self.min_power

        rarity: None | str | Unset
        if isinstance(self.rarity, Unset):
            rarity = UNSET
        elif isinstance(self.rarity, Rarity):
            rarity = self.rarity.value
        else:
            rarity = self.rarity

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if min_power is not UNSET:
            field_dict["min_power"] = min_power
        if rarity is not UNSET:
            field_dict["rarity"] = rarity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_min_power(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_power = _parse_min_power(d.pop("min_power", UNSET))

        def _parse_rarity(data: object) -> None | Rarity | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rarity_type_0 = Rarity(data)

                return rarity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Rarity | Unset, data)

        rarity = _parse_rarity(d.pop("rarity", UNSET))

        offer_filter_in = cls(
            min_power=min_power,
            rarity=rarity,
        )

        return offer_filter_in
