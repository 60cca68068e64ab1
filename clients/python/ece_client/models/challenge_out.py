from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sign_in_input_out import SignInInputOut


T = TypeVar("T", bound="ChallengeOut")


@_attrs_define
class ChallengeOut:
    """
    Attributes:
        expires_at (datetime.datetime):
        input_ (SignInInputOut): A Wallet Standard ``SolanaSignInInput``: hand it to the wallet's ``solana:signIn``
            as is. ``address`` only when the challenge was asked for one.
        nonce (str):
        message (None | str | Unset): The SIWS message text to sign with `signMessage` (only when an address was given)
    """

    expires_at: datetime.datetime
    input_: SignInInputOut
    nonce: str
    message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        input_ = self.input_.to_dict()

        nonce = self.nonce

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "input": input_,
                "nonce": nonce,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sign_in_input_out import SignInInputOut  # noqa: PLC0415

        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        input_ = SignInInputOut.from_dict(d.pop("input"))

        nonce = d.pop("nonce")

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        challenge_out = cls(
            expires_at=expires_at,
            input_=input_,
            nonce=nonce,
            message=message,
        )

        challenge_out.additional_properties = d
        return challenge_out

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
