import datetime

from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1 import guardrail_service_pb2 as _guardrail_service_pb2
from flowyte.v1 import skill_service_pb2 as _skill_service_pb2
from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from flowyte.v1.google_api import resource_pb2 as _resource_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BrainKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRAIN_KIND_UNSPECIFIED: _ClassVar[BrainKind]
    BRAIN_KIND_BUILTIN: _ClassVar[BrainKind]
    BRAIN_KIND_LLM: _ClassVar[BrainKind]

class ChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_KIND_UNSPECIFIED: _ClassVar[ChangeKind]
    CHANGE_KIND_ADDED: _ClassVar[ChangeKind]
    CHANGE_KIND_REMOVED: _ClassVar[ChangeKind]
    CHANGE_KIND_CHANGED: _ClassVar[ChangeKind]
BRAIN_KIND_UNSPECIFIED: BrainKind
BRAIN_KIND_BUILTIN: BrainKind
BRAIN_KIND_LLM: BrainKind
CHANGE_KIND_UNSPECIFIED: ChangeKind
CHANGE_KIND_ADDED: ChangeKind
CHANGE_KIND_REMOVED: ChangeKind
CHANGE_KIND_CHANGED: ChangeKind

class Brain(_message.Message):
    __slots__ = ("kind", "model", "timeout_seconds")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    kind: BrainKind
    model: str
    timeout_seconds: float
    def __init__(self, kind: _Optional[_Union[BrainKind, str]] = ..., model: _Optional[str] = ..., timeout_seconds: _Optional[float] = ...) -> None: ...

class TransferRule(_message.Message):
    __slots__ = ("label", "when", "destination")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    WHEN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    label: str
    when: str
    destination: str
    def __init__(self, label: _Optional[str] = ..., when: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class HandoffConfig(_message.Message):
    __slots__ = ("warm", "transfer_destination", "transfer_rules")
    WARM_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_RULES_FIELD_NUMBER: _ClassVar[int]
    warm: bool
    transfer_destination: str
    transfer_rules: _containers.RepeatedCompositeFieldContainer[TransferRule]
    def __init__(self, warm: _Optional[bool] = ..., transfer_destination: _Optional[str] = ..., transfer_rules: _Optional[_Iterable[_Union[TransferRule, _Mapping]]] = ...) -> None: ...

class BusinessHours(_message.Message):
    __slots__ = ("time_zone", "intervals")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    INTERVALS_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    intervals: _containers.RepeatedCompositeFieldContainer[OpenInterval]
    def __init__(self, time_zone: _Optional[str] = ..., intervals: _Optional[_Iterable[_Union[OpenInterval, _Mapping]]] = ...) -> None: ...

class OpenInterval(_message.Message):
    __slots__ = ("day", "open", "close")
    DAY_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    day: str
    open: str
    close: str
    def __init__(self, day: _Optional[str] = ..., open: _Optional[str] = ..., close: _Optional[str] = ...) -> None: ...

class AfterHours(_message.Message):
    __slots__ = ("message", "action")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    message: str
    action: str
    def __init__(self, message: _Optional[str] = ..., action: _Optional[str] = ...) -> None: ...

class CallControl(_message.Message):
    __slots__ = ("max_duration_seconds", "idle_reminder_seconds", "on_no_response_action")
    MAX_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    IDLE_REMINDER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ON_NO_RESPONSE_ACTION_FIELD_NUMBER: _ClassVar[int]
    max_duration_seconds: int
    idle_reminder_seconds: int
    on_no_response_action: str
    def __init__(self, max_duration_seconds: _Optional[int] = ..., idle_reminder_seconds: _Optional[int] = ..., on_no_response_action: _Optional[str] = ...) -> None: ...

class Voice(_message.Message):
    __slots__ = ("name", "speaking_rate")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SPEAKING_RATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    speaking_rate: float
    def __init__(self, name: _Optional[str] = ..., speaking_rate: _Optional[float] = ...) -> None: ...

class Agent(_message.Message):
    __slots__ = ("name", "id", "display_name", "persona", "greeting", "language", "voice", "handoff_config", "business_hours", "after_hours", "call_control", "brain", "published_version", "create_time", "update_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PERSONA_FIELD_NUMBER: _ClassVar[int]
    GREETING_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VOICE_FIELD_NUMBER: _ClassVar[int]
    HANDOFF_CONFIG_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_HOURS_FIELD_NUMBER: _ClassVar[int]
    AFTER_HOURS_FIELD_NUMBER: _ClassVar[int]
    CALL_CONTROL_FIELD_NUMBER: _ClassVar[int]
    BRAIN_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    display_name: str
    persona: str
    greeting: str
    language: str
    voice: Voice
    handoff_config: HandoffConfig
    business_hours: BusinessHours
    after_hours: AfterHours
    call_control: CallControl
    brain: Brain
    published_version: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., display_name: _Optional[str] = ..., persona: _Optional[str] = ..., greeting: _Optional[str] = ..., language: _Optional[str] = ..., voice: _Optional[_Union[Voice, _Mapping]] = ..., handoff_config: _Optional[_Union[HandoffConfig, _Mapping]] = ..., business_hours: _Optional[_Union[BusinessHours, _Mapping]] = ..., after_hours: _Optional[_Union[AfterHours, _Mapping]] = ..., call_control: _Optional[_Union[CallControl, _Mapping]] = ..., brain: _Optional[_Union[Brain, _Mapping]] = ..., published_version: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AgentSnapshot(_message.Message):
    __slots__ = ("agent", "skills", "guardrails", "caller_verification")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    GUARDRAILS_FIELD_NUMBER: _ClassVar[int]
    CALLER_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    skills: _containers.RepeatedCompositeFieldContainer[_skill_service_pb2.Skill]
    guardrails: _containers.RepeatedCompositeFieldContainer[_guardrail_service_pb2.GuardrailPolicy]
    caller_verification: _containers.RepeatedCompositeFieldContainer[_guardrail_service_pb2.CallerVerificationMethod]
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ..., skills: _Optional[_Iterable[_Union[_skill_service_pb2.Skill, _Mapping]]] = ..., guardrails: _Optional[_Iterable[_Union[_guardrail_service_pb2.GuardrailPolicy, _Mapping]]] = ..., caller_verification: _Optional[_Iterable[_Union[_guardrail_service_pb2.CallerVerificationMethod, _Mapping]]] = ...) -> None: ...

class AgentVersion(_message.Message):
    __slots__ = ("name", "number", "note", "create_time", "snapshot", "rolled_back_from")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    ROLLED_BACK_FROM_FIELD_NUMBER: _ClassVar[int]
    name: str
    number: int
    note: str
    create_time: _timestamp_pb2.Timestamp
    snapshot: AgentSnapshot
    rolled_back_from: int
    def __init__(self, name: _Optional[str] = ..., number: _Optional[int] = ..., note: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., snapshot: _Optional[_Union[AgentSnapshot, _Mapping]] = ..., rolled_back_from: _Optional[int] = ...) -> None: ...

class FieldChange(_message.Message):
    __slots__ = ("field", "before", "after", "kind")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    field: str
    before: _struct_pb2.Value
    after: _struct_pb2.Value
    kind: ChangeKind
    def __init__(self, field: _Optional[str] = ..., before: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., after: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., kind: _Optional[_Union[ChangeKind, str]] = ...) -> None: ...

class CreateAgentRequest(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class CreateAgentResponse(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class GetAgentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetAgentResponse(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class ListAgentsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "published_only")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_ONLY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    published_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., published_only: _Optional[bool] = ...) -> None: ...

class ListAgentsResponse(_message.Message):
    __slots__ = ("agents", "next_page_token")
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    agents: _containers.RepeatedCompositeFieldContainer[Agent]
    next_page_token: str
    def __init__(self, agents: _Optional[_Iterable[_Union[Agent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateAgentRequest(_message.Message):
    __slots__ = ("agent", "update_mask")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateAgentResponse(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class DeleteAgentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteAgentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PublishAgentRequest(_message.Message):
    __slots__ = ("name", "note")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    name: str
    note: str
    def __init__(self, name: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class PublishAgentResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: AgentVersion
    def __init__(self, version: _Optional[_Union[AgentVersion, _Mapping]] = ...) -> None: ...

class ListAgentVersionsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAgentVersionsResponse(_message.Message):
    __slots__ = ("versions", "next_page_token")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[AgentVersion]
    next_page_token: str
    def __init__(self, versions: _Optional[_Iterable[_Union[AgentVersion, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RollbackAgentRequest(_message.Message):
    __slots__ = ("name", "version")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: int
    def __init__(self, name: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class RollbackAgentResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: AgentVersion
    def __init__(self, version: _Optional[_Union[AgentVersion, _Mapping]] = ...) -> None: ...

class DiffAgentVersionsRequest(_message.Message):
    __slots__ = ("name", "against")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AGAINST_FIELD_NUMBER: _ClassVar[int]
    name: str
    against: int
    def __init__(self, name: _Optional[str] = ..., against: _Optional[int] = ...) -> None: ...

class DiffAgentVersionsResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[FieldChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[FieldChange, _Mapping]]] = ...) -> None: ...

class GetPrepublishReportRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetPrepublishReportResponse(_message.Message):
    __slots__ = ("will", "wont", "data_flows", "guardrails", "warnings")
    WILL_FIELD_NUMBER: _ClassVar[int]
    WONT_FIELD_NUMBER: _ClassVar[int]
    DATA_FLOWS_FIELD_NUMBER: _ClassVar[int]
    GUARDRAILS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    will: _containers.RepeatedScalarFieldContainer[str]
    wont: _containers.RepeatedScalarFieldContainer[str]
    data_flows: _containers.RepeatedScalarFieldContainer[str]
    guardrails: _containers.RepeatedScalarFieldContainer[str]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, will: _Optional[_Iterable[str]] = ..., wont: _Optional[_Iterable[str]] = ..., data_flows: _Optional[_Iterable[str]] = ..., guardrails: _Optional[_Iterable[str]] = ..., warnings: _Optional[_Iterable[str]] = ...) -> None: ...
