import datetime

from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1 import audit_pb2 as _audit_pb2
from flowyte.v1 import conversation_service_pb2 as _conversation_service_pb2
from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from flowyte.v1.google_api import resource_pb2 as _resource_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HandoffStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HANDOFF_STATUS_UNSPECIFIED: _ClassVar[HandoffStatus]
    HANDOFF_STATUS_OPEN: _ClassVar[HandoffStatus]
    HANDOFF_STATUS_CLAIMED: _ClassVar[HandoffStatus]
    HANDOFF_STATUS_CLOSED: _ClassVar[HandoffStatus]
HANDOFF_STATUS_UNSPECIFIED: HandoffStatus
HANDOFF_STATUS_OPEN: HandoffStatus
HANDOFF_STATUS_CLAIMED: HandoffStatus
HANDOFF_STATUS_CLOSED: HandoffStatus

class Handoff(_message.Message):
    __slots__ = ("name", "id", "session_id", "agent_id", "reason", "status", "order_summary", "verified_identity", "transcript", "claimed_by", "create_time", "close_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ORDER_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CLOSE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    session_id: str
    agent_id: str
    reason: str
    status: HandoffStatus
    order_summary: _struct_pb2.Struct
    verified_identity: _struct_pb2.Struct
    transcript: _containers.RepeatedCompositeFieldContainer[_audit_pb2.AuditEvent]
    claimed_by: str
    create_time: _timestamp_pb2.Timestamp
    close_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., session_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., reason: _Optional[str] = ..., status: _Optional[_Union[HandoffStatus, str]] = ..., order_summary: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., verified_identity: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., transcript: _Optional[_Iterable[_Union[_audit_pb2.AuditEvent, _Mapping]]] = ..., claimed_by: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., close_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListHandoffsRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: HandoffStatus
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[_Union[HandoffStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListHandoffsResponse(_message.Message):
    __slots__ = ("handoffs", "next_page_token")
    HANDOFFS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    handoffs: _containers.RepeatedCompositeFieldContainer[Handoff]
    next_page_token: str
    def __init__(self, handoffs: _Optional[_Iterable[_Union[Handoff, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetHandoffRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetHandoffResponse(_message.Message):
    __slots__ = ("handoff",)
    HANDOFF_FIELD_NUMBER: _ClassVar[int]
    handoff: Handoff
    def __init__(self, handoff: _Optional[_Union[Handoff, _Mapping]] = ...) -> None: ...

class ClaimHandoffRequest(_message.Message):
    __slots__ = ("name", "claimed_by")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_BY_FIELD_NUMBER: _ClassVar[int]
    name: str
    claimed_by: str
    def __init__(self, name: _Optional[str] = ..., claimed_by: _Optional[str] = ...) -> None: ...

class ClaimHandoffResponse(_message.Message):
    __slots__ = ("handoff",)
    HANDOFF_FIELD_NUMBER: _ClassVar[int]
    handoff: Handoff
    def __init__(self, handoff: _Optional[_Union[Handoff, _Mapping]] = ...) -> None: ...

class SendHandoffMessageRequest(_message.Message):
    __slots__ = ("name", "content")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    content: str
    def __init__(self, name: _Optional[str] = ..., content: _Optional[str] = ...) -> None: ...

class SendHandoffMessageResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _audit_pb2.AuditEvent
    def __init__(self, event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ...) -> None: ...

class CloseHandoffRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CloseHandoffResponse(_message.Message):
    __slots__ = ("handoff",)
    HANDOFF_FIELD_NUMBER: _ClassVar[int]
    handoff: Handoff
    def __init__(self, handoff: _Optional[_Union[Handoff, _Mapping]] = ...) -> None: ...

class WatchHandoffsRequest(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: HandoffStatus
    def __init__(self, status: _Optional[_Union[HandoffStatus, str]] = ...) -> None: ...

class WatchHandoffsResponse(_message.Message):
    __slots__ = ("handoff", "heartbeat")
    HANDOFF_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    handoff: Handoff
    heartbeat: _conversation_service_pb2.Heartbeat
    def __init__(self, handoff: _Optional[_Union[Handoff, _Mapping]] = ..., heartbeat: _Optional[_Union[_conversation_service_pb2.Heartbeat, _Mapping]] = ...) -> None: ...
