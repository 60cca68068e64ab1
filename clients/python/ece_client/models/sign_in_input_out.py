from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SignInInputOut")


@_attrs_define
class SignInInputOut:
    """A Wallet Standard ``SolanaSignInInput``: hand it to the wallet's ``solana:signIn``
    as is. ``address`` only when the challenge was asked for one.

        Attributes:
            chain_id (str):
            domain (str):
            expiration_time (str):
            issued_at (str):
            nonce (str):
            statement (str):
            uri (str):
            version (str):
            address (None | str | Unset):
    """

    chain_id: str
    domain: str
    expiration_time: str
    issued_at: str
    nonce: str
    statement: str
    uri: str
    version: str
    address: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chain_id = self.chain_id

        domain = self.domain

        expiration_time = self.expiration_time

        issued_at = self.issued_at

        nonce = self.nonce

        statement = self.statement

        uri = self.uri

        version = self.version

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chainId": chain_id,
                "domain": domain,
                "expirationTime": expiration_time,
                "issuedAt": issued_at,
                "nonce": nonce,
                "statement": statement,
                "uri": uri,
                "version": version,
            }
        )
        if address is not UNSET:
            field_dict["address"] = address

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chain_id = d.pop("chainId")

        domain = d.pop("domain")

        expiration_time = d.pop("expirationTime")

        issued_at = d.pop("issuedAt")

        nonce = d.pop("nonce")

        statement = d.pop("statement")

        uri = d.pop("uri")

        version = d.pop("version")

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        sign_in_input_out = cls(
            chain_id=chain_id,
            domain=domain,
            expiration_time=expiration_time,
            issued_at=issued_at,
            nonce=nonce,
            statement=statement,
            uri=uri,
            version=version,
            address=address,
        )

        sign_in_input_out.additional_properties = d
        return sign_in_input_out

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
