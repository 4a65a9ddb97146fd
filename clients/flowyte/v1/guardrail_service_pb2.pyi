from flowyte.v1 import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PolicyType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POLICY_TYPE_UNSPECIFIED: _ClassVar[PolicyType]
    POLICY_TYPE_VERIFY_BEFORE_DISCLOSE: _ClassVar[PolicyType]
    POLICY_TYPE_ALLOWED_FIELDS: _ClassVar[PolicyType]
    POLICY_TYPE_WRITE_GATE: _ClassVar[PolicyType]
    POLICY_TYPE_RATE_LIMIT: _ClassVar[PolicyType]
    POLICY_TYPE_BUSINESS_HOURS: _ClassVar[PolicyType]
    POLICY_TYPE_CONTENT_POLICY: _ClassVar[PolicyType]

class VerificationMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VERIFICATION_METHOD_UNSPECIFIED: _ClassVar[VerificationMethod]
    VERIFICATION_METHOD_ORDER_MATCH: _ClassVar[VerificationMethod]
    VERIFICATION_METHOD_CALLER_ID: _ClassVar[VerificationMethod]
POLICY_TYPE_UNSPECIFIED: PolicyType
POLICY_TYPE_VERIFY_BEFORE_DISCLOSE: PolicyType
POLICY_TYPE_ALLOWED_FIELDS: PolicyType
POLICY_TYPE_WRITE_GATE: PolicyType
POLICY_TYPE_RATE_LIMIT: PolicyType
POLICY_TYPE_BUSINESS_HOURS: PolicyType
POLICY_TYPE_CONTENT_POLICY: PolicyType
VERIFICATION_METHOD_UNSPECIFIED: VerificationMethod
VERIFICATION_METHOD_ORDER_MATCH: VerificationMethod
VERIFICATION_METHOD_CALLER_ID: VerificationMethod

class GuardrailPolicy(_message.Message):
    __slots__ = ("policy_type", "applies_to_skill_type", "config", "is_enabled")
    POLICY_TYPE_FIELD_NUMBER: _ClassVar[int]
    APPLIES_TO_SKILL_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    IS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    policy_type: PolicyType
    applies_to_skill_type: str
    config: _struct_pb2.Struct
    is_enabled: bool
    def __init__(self, policy_type: _Optional[_Union[PolicyType, str]] = ..., applies_to_skill_type: _Optional[str] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., is_enabled: _Optional[bool] = ...) -> None: ...

class CallerVerificationMethod(_message.Message):
    __slots__ = ("method", "verifier_skill_id", "required_fields", "token_ttl_seconds", "max_attempts", "step_up_for")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_SKILL_ID_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    TOKEN_TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    STEP_UP_FOR_FIELD_NUMBER: _ClassVar[int]
    method: VerificationMethod
    verifier_skill_id: str
    required_fields: _containers.RepeatedScalarFieldContainer[str]
    token_ttl_seconds: int
    max_attempts: int
    step_up_for: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, method: _Optional[_Union[VerificationMethod, str]] = ..., verifier_skill_id: _Optional[str] = ..., required_fields: _Optional[_Iterable[str]] = ..., token_ttl_seconds: _Optional[int] = ..., max_attempts: _Optional[int] = ..., step_up_for: _Optional[_Iterable[str]] = ...) -> None: ...

class GetGuardrailsRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class GetGuardrailsResponse(_message.Message):
    __slots__ = ("guardrails",)
    GUARDRAILS_FIELD_NUMBER: _ClassVar[int]
    guardrails: _containers.RepeatedCompositeFieldContainer[GuardrailPolicy]
    def __init__(self, guardrails: _Optional[_Iterable[_Union[GuardrailPolicy, _Mapping]]] = ...) -> None: ...

class ReplaceGuardrailsRequest(_message.Message):
    __slots__ = ("parent", "guardrails")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    GUARDRAILS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    guardrails: _containers.RepeatedCompositeFieldContainer[GuardrailPolicy]
    def __init__(self, parent: _Optional[str] = ..., guardrails: _Optional[_Iterable[_Union[GuardrailPolicy, _Mapping]]] = ...) -> None: ...

class ReplaceGuardrailsResponse(_message.Message):
    __slots__ = ("guardrails",)
    GUARDRAILS_FIELD_NUMBER: _ClassVar[int]
    guardrails: _containers.RepeatedCompositeFieldContainer[GuardrailPolicy]
    def __init__(self, guardrails: _Optional[_Iterable[_Union[GuardrailPolicy, _Mapping]]] = ...) -> None: ...

class GetCallerVerificationRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class GetCallerVerificationResponse(_message.Message):
    __slots__ = ("methods",)
    METHODS_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[CallerVerificationMethod]
    def __init__(self, methods: _Optional[_Iterable[_Union[CallerVerificationMethod, _Mapping]]] = ...) -> None: ...

class ReplaceCallerVerificationRequest(_message.Message):
    __slots__ = ("parent", "methods")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    methods: _containers.RepeatedCompositeFieldContainer[CallerVerificationMethod]
    def __init__(self, parent: _Optional[str] = ..., methods: _Optional[_Iterable[_Union[CallerVerificationMethod, _Mapping]]] = ...) -> None: ...

class ReplaceCallerVerificationResponse(_message.Message):
    __slots__ = ("methods",)
    METHODS_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[CallerVerificationMethod]
    def __init__(self, methods: _Optional[_Iterable[_Union[CallerVerificationMethod, _Mapping]]] = ...) -> None: ...
