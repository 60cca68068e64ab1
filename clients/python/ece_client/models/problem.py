from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invalid_param import InvalidParam


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """The error body every endpoint returns (RFC 9457).

    Attributes:
        code (str): Stable, snake_case machine-readable error code
        detail (str):
        status (int):
        title (str):
        type_ (str):
        instance (None | str | Unset):
        invalid_params (list[InvalidParam] | None | Unset):
        request_id (None | str | Unset):
        scope (None | str | Unset): 503 ``paused`` only: the paused scope that refused the action
    """

    code: str
    detail: str
    status: int
    title: str
    type_: str
    instance: None | str | Unset = UNSET
    invalid_params: list[InvalidParam] | None | Unset = UNSET
    request_id: None | str | Unset = UNSET
    scope: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        detail = self.detail

        status = self.status

        title = self.title

        type_ = self.type_

        instance: None | str | Unset
        if isinstance(self.instance, Unset):
            instance = UNSET
        else:
            instance = self.instance

        invalid_params: list[dict[str, Any]] | None | Unset
        if isinstance(self.invalid_params, Unset):
            invalid_params = UNSET
        elif isinstance(self.invalid_params, list):
            invalid_params = []
            for invalid_params_type_0_item_data in self.invalid_params:
                invalid_params_type_0_item = invalid_params_type_0_item_data.to_dict()
                invalid_params.append(invalid_params_type_0_item)

        else:
            invalid_params = self.invalid_params

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "detail": detail,
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if instance is not UNSET:
            field_dict["instance"] = instance
        if invalid_params is not UNSET:
            field_dict["invalid_params"] = invalid_params
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invalid_param import InvalidParam  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        detail = d.pop("detail")

        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        def _parse_instance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance = _parse_instance(d.pop("instance", UNSET))

        def _parse_invalid_params(data: object) -> list[InvalidParam] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                invalid_params_type_0 = []
                _invalid_params_type_0 = data
                for invalid_params_type_0_item_data in _invalid_params_type_0:
                    invalid_params_type_0_item = InvalidParam.from_dict(invalid_params_type_0_item_data)

                    invalid_params_type_0.append(invalid_params_type_0_item)

                return invalid_params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[InvalidParam] | None | Unset, data)

        invalid_params = _parse_invalid_params(d.pop("invalid_params", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        def _parse_scope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))

        problem = cls(
            code=code,
            detail=detail,
            status=status,
            title=title,
            type_=type_,
            instance=instance,
            invalid_params=invalid_params,
            request_id=request_id,
            scope=scope,
        )

        problem.additional_properties = d
        return problem

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
