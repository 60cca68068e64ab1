from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.card_status import CardStatus
from ..models.rarity import Rarity

if TYPE_CHECKING:
    from ..models.card_attributes import CardAttributes
    from ..models.card_last_sale_out import CardLastSaleOut
    from ..models.company_ref import CompanyRef
    from ..models.owner_out import OwnerOut


T = TypeVar("T", bound="CardOut")


@_attrs_define
class CardOut:
    """
    Attributes:
        attributes (CardAttributes):
        company (CompanyRef):
        created_at (datetime.datetime):
        description (str):
        id (str):
        image_url (str):
        last_sale (CardLastSaleOut | None):
        metadata_uri (str):
        mint (str):
        name (str):
        owner (OwnerOut):
        rarity (Rarity):
        serial (str):
        status (CardStatus):
    """

    attributes: CardAttributes
    company: CompanyRef
    created_at: datetime.datetime
    description: str
    id: str
    image_url: str
    last_sale: CardLastSaleOut | None
    metadata_uri: str
    mint: str
    name: str
    owner: OwnerOut
    rarity: Rarity
    serial: str
    status: CardStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.card_last_sale_out import CardLastSaleOut  # noqa: PLC0415

        attributes = self.attributes.to_dict()

        company = self.company.to_dict()

        created_at = self.created_at.isoformat()

        description = self.description

        id = self.id

        image_url = self.image_url

        last_sale: dict[str, Any] | None
        if isinstance(self.last_sale, CardLastSaleOut):
            last_sale = self.last_sale.to_dict()
        else:
            last_sale = self.last_sale

        metadata_uri = self.metadata_uri

        mint = self.mint

        name = self.name

        owner = self.owner.to_dict()

        rarity = self.rarity.value

        serial = self.serial

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "company": company,
                "created_at": created_at,
                "description": description,
                "id": id,
                "image_url": image_url,
                "last_sale": last_sale,
                "metadata_uri": metadata_uri,
                "mint": mint,
                "name": name,
                "owner": owner,
                "rarity": rarity,
                "serial": serial,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.card_attributes import CardAttributes  # noqa: PLC0415
        from ..models.card_last_sale_out import CardLastSaleOut  # noqa: PLC0415
        from ..models.company_ref import CompanyRef  # noqa: PLC0415
        from ..models.owner_out import OwnerOut  # noqa: PLC0415

        d = dict(src_dict)
        attributes = CardAttributes.from_dict(d.pop("attributes"))

        company = CompanyRef.from_dict(d.pop("company"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        id = d.pop("id")

        image_url = d.pop("image_url")

        def _parse_last_sale(data: object) -> CardLastSaleOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_sale_type_0 = CardLastSaleOut.from_dict(data)

                return last_sale_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CardLastSaleOut | None, data)

        last_sale = _parse_last_sale(d.pop("last_sale"))

        metadata_uri = d.pop("metadata_uri")

        mint = d.pop("mint")

        name = d.pop("name")

        owner = OwnerOut.from_dict(d.pop("owner"))

        rarity = Rarity(d.pop("rarity"))

        serial = d.pop("serial")

        status = CardStatus(d.pop("status"))

        card_out = cls(
            attributes=attributes,
            company=company,
            created_at=created_at,
            description=description,
            id=id,
            image_url=image_url,
            last_sale=last_sale,
            metadata_uri=metadata_uri,
            mint=mint,
            name=name,
            owner=owner,
            rarity=rarity,
            serial=serial,
            status=status,
        )

        card_out.additional_properties = d
        return card_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
