import datetime

from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_CHAT: _ClassVar[Channel]
    CHANNEL_WIDGET: _ClassVar[Channel]
    CHANNEL_VOICE: _ClassVar[Channel]
    CHANNEL_API: _ClassVar[Channel]

class AuditEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIT_EVENT_TYPE_UNSPECIFIED: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_USER_UTTERANCE: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_AGENT_MESSAGE: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_TOOL_CALL: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_GUARDRAIL: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_VERIFICATION: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_HANDOFF: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_BARGE_IN: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_LATENCY: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_FILLER: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_CALL_STARTED: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_CALL_ENDED: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_ERROR: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_REPLY_INTERRUPTED: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_NO_INPUT: _ClassVar[AuditEventType]
    AUDIT_EVENT_TYPE_TRANSFER_RESULT: _ClassVar[AuditEventType]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_CHAT: Channel
CHANNEL_WIDGET: Channel
CHANNEL_VOICE: Channel
CHANNEL_API: Channel
AUDIT_EVENT_TYPE_UNSPECIFIED: AuditEventType
AUDIT_EVENT_TYPE_USER_UTTERANCE: AuditEventType
AUDIT_EVENT_TYPE_AGENT_MESSAGE: AuditEventType
AUDIT_EVENT_TYPE_TOOL_CALL: AuditEventType
AUDIT_EVENT_TYPE_GUARDRAIL: AuditEventType
AUDIT_EVENT_TYPE_VERIFICATION: AuditEventType
AUDIT_EVENT_TYPE_HANDOFF: AuditEventType
AUDIT_EVENT_TYPE_BARGE_IN: AuditEventType
AUDIT_EVENT_TYPE_LATENCY: AuditEventType
AUDIT_EVENT_TYPE_FILLER: AuditEventType
AUDIT_EVENT_TYPE_CALL_STARTED: AuditEventType
AUDIT_EVENT_TYPE_CALL_ENDED: AuditEventType
AUDIT_EVENT_TYPE_ERROR: AuditEventType
AUDIT_EVENT_TYPE_REPLY_INTERRUPTED: AuditEventType
AUDIT_EVENT_TYPE_NO_INPUT: AuditEventType
AUDIT_EVENT_TYPE_TRANSFER_RESULT: AuditEventType

class AuditEvent(_message.Message):
    __slots__ = ("id", "conversation_id", "seq", "ts_ms", "channel", "event_type", "payload", "trace_id", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    TS_MS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    conversation_id: str
    seq: int
    ts_ms: int
    channel: Channel
    event_type: AuditEventType
    payload: _struct_pb2.Struct
    trace_id: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., seq: _Optional[int] = ..., ts_ms: _Optional[int] = ..., channel: _Optional[_Union[Channel, str]] = ..., event_type: _Optional[_Union[AuditEventType, str]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., trace_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
