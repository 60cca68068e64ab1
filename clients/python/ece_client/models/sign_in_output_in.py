from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sign_in_account_in import SignInAccountIn


T = TypeVar("T", bound="SignInOutputIn")


@_attrs_define
class SignInOutputIn:
    """A Wallet Standard ``SolanaSignInOutput``, its byte arrays in base64.

    Attributes:
        account (SignInAccountIn): The ``account`` of a ``SolanaSignInOutput`` (other Wallet Standard account fields,
            such as
            ``chains`` or ``features``, are ignored).
        signature (str): Base64 of the 64-byte ed25519 signature
        signed_message (str): Base64 of the bytes signed
        signature_type (Literal['ed25519'] | None | Unset):
    """

    account: SignInAccountIn
    signature: str
    signed_message: str
    signature_type: Literal["ed25519"] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        account = self.account.to_dict()

        signature = self.signature

        signed_message = self.signed_message

        signature_type: Literal["ed25519"] | None | Unset
        if isinstance(self.signature_type, Unset):
            signature_type = UNSET
        else:
            signature_type = self.signature_type

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account": account,
                "signature": signature,
                "signedMessage": signed_message,
            }
        )
        if signature_type is not UNSET:
            field_dict["signatureType"] = signature_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sign_in_account_in import SignInAccountIn  # noqa: PLC0415

        d = dict(src_dict)
        account = SignInAccountIn.from_dict(d.pop("account"))

        signature = d.pop("signature")

        signed_message = d.pop("signedMessage")

        def _parse_signature_type(data: object) -> Literal["ed25519"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            signature_type_type_0 = cast(Literal["ed25519"], data)
            if signature_type_type_0 != "ed25519":
                raise ValueError(f"signatureType_type_0 must match const 'ed25519', got '{signature_type_type_0}'")
            return signature_type_type_0
            return cast(Literal["ed25519"] | None | Unset, data)

        signature_type = _parse_signature_type(d.pop("signatureType", UNSET))

        sign_in_output_in = cls(
            account=account,
            signature=signature,
            signed_message=signed_message,
            signature_type=signature_type,
        )

        return sign_in_output_in
