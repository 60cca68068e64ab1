from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signature_out import SignatureOut


T = TypeVar("T", bound="PayoutTransactionOut")


@_attrs_define
class PayoutTransactionOut:
    """
    Attributes:
        approvals (list[str]): members who approved, first to last
        message (None | str): base64 of the message bytes the chosen signers sign; null until `threshold` members
            approved
        signatures (list[SignatureOut]):
        signers (list[str]): the members the transaction names (the approvers)
        threshold (int):
    """

    approvals: list[str]
    message: None | str
    signatures: list[SignatureOut]
    signers: list[str]
    threshold: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        approvals = self.approvals

        message: None | str
        message = self.message

        signatures = []
        for signatures_item_data in self.signatures:
            signatures_item = signatures_item_data.to_dict()
            signatures.append(signatures_item)

        signers = self.signers

        threshold = self.threshold

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "approvals": approvals,
                "message": message,
                "signatures": signatures,
                "signers": signers,
                "threshold": threshold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signature_out import SignatureOut  # noqa: PLC0415

        d = dict(src_dict)
        approvals = cast(list[str], d.pop("approvals"))

        def _parse_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message = _parse_message(d.pop("message"))

        signatures = []
        _signatures = d.pop("signatures")
        for signatures_item_data in _signatures:
            signatures_item = SignatureOut.from_dict(signatures_item_data)

            signatures.append(signatures_item)

        signers = cast(list[str], d.pop("signers"))

        threshold = d.pop("threshold")

        payout_transaction_out = cls(
            approvals=approvals,
            message=message,
            signatures=signatures,
            signers=signers,
            threshold=threshold,
        )

        payout_transaction_out.additional_properties = d
        return payout_transaction_out

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
