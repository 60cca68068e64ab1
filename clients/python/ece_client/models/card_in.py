from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rarity import Rarity
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_attributes import CardAttributes


T = TypeVar("T", bound="CardIn")


@_attrs_define
class CardIn:
    """
    Attributes:
        attributes (CardAttributes):
        company_id (str):
        name (str):
        rarity (Rarity):
        description (None | str | Unset):
        owner_id (None | str | Unset): User id of the first owner; default: the company's issuer inventory
    """

    attributes: CardAttributes
    company_id: str
    name: str
    rarity: Rarity
    description: None | str | Unset = UNSET
    owner_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        company_id = self.company_id

        name = self.name

        rarity = self.rarity.value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        else:
            owner_id = self.owner_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attributes": attributes,
                "company_id": company_id,
                "name": name,
                "rarity": rarity,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.card_attributes import CardAttributes  # noqa: PLC0415

        d = dict(src_dict)
        attributes = CardAttributes.from_dict(d.pop("attributes"))

        company_id = d.pop("company_id")

        name = d.pop("name")

        rarity = Rarity(d.pop("rarity"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_owner_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        card_in = cls(
            attributes=attributes,
            company_id=company_id,
            name=name,
            rarity=rarity,
            description=description,
            owner_id=owner_id,
        )

        return card_in
