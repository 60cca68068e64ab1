from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chain_out_assets import ChainOutAssets


T = TypeVar("T", bound="ChainOut")


@_attrs_define
class ChainOut:
    """
    Attributes:
        assets (ChainOutAssets):
        cluster (str): embedded | devnet | mainnet-beta | custom
        custody (str): The custody wallet (owner of every custody token account)
        rpc_url (str):
    """

    assets: ChainOutAssets
    cluster: str
    custody: str
    rpc_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assets = self.assets.to_dict()

        cluster = self.cluster

        custody = self.custody

        rpc_url = self.rpc_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assets": assets,
                "cluster": cluster,
                "custody": custody,
                "rpc_url": rpc_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chain_out_assets import ChainOutAssets  # noqa: PLC0415

        d = dict(src_dict)
        assets = ChainOutAssets.from_dict(d.pop("assets"))

        cluster = d.pop("cluster")

        custody = d.pop("custody")

        rpc_url = d.pop("rpc_url")

        chain_out = cls(
            assets=assets,
            cluster=cluster,
            custody=custody,
            rpc_url=rpc_url,
        )

        chain_out.additional_properties = d
        return chain_out

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
