from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sign_in_output_in import SignInOutputIn


T = TypeVar("T", bound="LoginIn")


@_attrs_define
class LoginIn:
    """Either the signed message text with its base58 signature (``signMessage``), or the
    wallet's ``SolanaSignInOutput`` (``solana:signIn``).

        Attributes:
            message (None | str | Unset):
            output (None | SignInOutputIn | Unset):
            signature (None | str | Unset): Base58 ed25519 signature of the UTF-8 message
    """

    message: None | str | Unset = UNSET
    output: None | SignInOutputIn | Unset = UNSET
    signature: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.sign_in_output_in import SignInOutputIn  # noqa: PLC0415

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, SignInOutputIn):
            output = self.output.to_dict()
        else:
            output = self.output

        signature: None | str | Unset
        if isinstance(self.signature, Unset):
            signature = UNSET
        else:
            signature = self.signature

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message
        if output is not UNSET:
            field_dict["output"] = output
        if signature is not UNSET:
            field_dict["signature"] = signature

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sign_in_output_in import SignInOutputIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        def _parse_output(data: object) -> None | SignInOutputIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = SignInOutputIn.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SignInOutputIn | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        def _parse_signature(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        signature = _parse_signature(d.pop("signature", UNSET))

        login_in = cls(
            message=message,
            output=output,
            signature=signature,
        )

        return login_in
