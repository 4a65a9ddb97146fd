from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from flowyte.v1.google_api import resource_pb2 as _resource_pb2
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
    __slots__ = ("policy_type", "applies_to_skill_type", "config", "is_enabled", "verify_before_disclose", "allowed_fields", "write_gate", "rate_limit", "business_hours", "content_policy")
    POLICY_TYPE_FIELD_NUMBER: _ClassVar[int]
    APPLIES_TO_SKILL_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    IS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    VERIFY_BEFORE_DISCLOSE_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    WRITE_GATE_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_HOURS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_POLICY_FIELD_NUMBER: _ClassVar[int]
    policy_type: PolicyType
    applies_to_skill_type: str
    config: _struct_pb2.Struct
    is_enabled: bool
    verify_before_disclose: VerifyBeforeDiscloseSettings
    allowed_fields: AllowedFieldsSettings
    write_gate: WriteGateSettings
    rate_limit: RateLimitSettings
    business_hours: BusinessHoursSettings
    content_policy: ContentPolicySettings
    def __init__(self, policy_type: _Optional[_Union[PolicyType, str]] = ..., applies_to_skill_type: _Optional[str] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., is_enabled: _Optional[bool] = ..., verify_before_disclose: _Optional[_Union[VerifyBeforeDiscloseSettings, _Mapping]] = ..., allowed_fields: _Optional[_Union[AllowedFieldsSettings, _Mapping]] = ..., write_gate: _Optional[_Union[WriteGateSettings, _Mapping]] = ..., rate_limit: _Optional[_Union[RateLimitSettings, _Mapping]] = ..., business_hours: _Optional[_Union[BusinessHoursSettings, _Mapping]] = ..., content_policy: _Optional[_Union[ContentPolicySettings, _Mapping]] = ...) -> None: ...

class VerifyBeforeDiscloseSettings(_message.Message):
    __slots__ = ("fields",)
    class FieldsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.ScalarMap[str, str]
    def __init__(self, fields: _Optional[_Mapping[str, str]] = ...) -> None: ...

class AllowedFieldsSettings(_message.Message):
    __slots__ = ("fields",)
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, fields: _Optional[_Iterable[str]] = ...) -> None: ...

class WriteGateSettings(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RateLimitSettings(_message.Message):
    __slots__ = ("tool_calls_per_minute", "tool_calls_per_conversation")
    TOOL_CALLS_PER_MINUTE_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALLS_PER_CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    tool_calls_per_minute: int
    tool_calls_per_conversation: int
    def __init__(self, tool_calls_per_minute: _Optional[int] = ..., tool_calls_per_conversation: _Optional[int] = ...) -> None: ...

class BusinessHoursSettings(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ContentPolicySettings(_message.Message):
    __slots__ = ("banned_topics", "redact_pii", "negative_turns_before_handoff")
    BANNED_TOPICS_FIELD_NUMBER: _ClassVar[int]
    REDACT_PII_FIELD_NUMBER: _ClassVar[int]
    NEGATIVE_TURNS_BEFORE_HANDOFF_FIELD_NUMBER: _ClassVar[int]
    banned_topics: _containers.RepeatedScalarFieldContainer[str]
    redact_pii: bool
    negative_turns_before_handoff: int
    def __init__(self, banned_topics: _Optional[_Iterable[str]] = ..., redact_pii: _Optional[bool] = ..., negative_turns_before_handoff: _Optional[int] = ...) -> None: ...

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
