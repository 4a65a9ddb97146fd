import datetime

from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1 import audit_pb2 as _audit_pb2
from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from flowyte.v1.google_api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CallOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_OUTCOME_UNSPECIFIED: _ClassVar[CallOutcome]
    CALL_OUTCOME_COMPLETED: _ClassVar[CallOutcome]
    CALL_OUTCOME_TRANSFERRED: _ClassVar[CallOutcome]
    CALL_OUTCOME_ABANDONED: _ClassVar[CallOutcome]
    CALL_OUTCOME_FAILED: _ClassVar[CallOutcome]
CALL_OUTCOME_UNSPECIFIED: CallOutcome
CALL_OUTCOME_COMPLETED: CallOutcome
CALL_OUTCOME_TRANSFERRED: CallOutcome
CALL_OUTCOME_ABANDONED: CallOutcome
CALL_OUTCOME_FAILED: CallOutcome

class PhoneNumber(_message.Message):
    __slots__ = ("name", "id", "e164", "agent_id", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    E164_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    e164: str
    agent_id: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., e164: _Optional[str] = ..., agent_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Call(_message.Message):
    __slots__ = ("name", "id", "session_id", "to", "start_time", "duration", "outcome", "transfer_destination", "events")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    session_id: str
    to: str
    start_time: _timestamp_pb2.Timestamp
    duration: _duration_pb2.Duration
    outcome: CallOutcome
    transfer_destination: str
    events: _containers.RepeatedCompositeFieldContainer[_audit_pb2.AuditEvent]
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., session_id: _Optional[str] = ..., to: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., outcome: _Optional[_Union[CallOutcome, str]] = ..., transfer_destination: _Optional[str] = ..., events: _Optional[_Iterable[_Union[_audit_pb2.AuditEvent, _Mapping]]] = ..., **kwargs) -> None: ...

class ImportNumberRequest(_message.Message):
    __slots__ = ("e164", "agent_id")
    E164_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    e164: str
    agent_id: str
    def __init__(self, e164: _Optional[str] = ..., agent_id: _Optional[str] = ...) -> None: ...

class ImportNumberResponse(_message.Message):
    __slots__ = ("number",)
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    number: PhoneNumber
    def __init__(self, number: _Optional[_Union[PhoneNumber, _Mapping]] = ...) -> None: ...

class ListNumbersRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListNumbersResponse(_message.Message):
    __slots__ = ("numbers", "next_page_token")
    NUMBERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    numbers: _containers.RepeatedCompositeFieldContainer[PhoneNumber]
    next_page_token: str
    def __init__(self, numbers: _Optional[_Iterable[_Union[PhoneNumber, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AssignNumberRequest(_message.Message):
    __slots__ = ("name", "agent_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    agent_id: str
    def __init__(self, name: _Optional[str] = ..., agent_id: _Optional[str] = ...) -> None: ...

class AssignNumberResponse(_message.Message):
    __slots__ = ("number",)
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    number: PhoneNumber
    def __init__(self, number: _Optional[_Union[PhoneNumber, _Mapping]] = ...) -> None: ...

class UnassignNumberRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class UnassignNumberResponse(_message.Message):
    __slots__ = ("number",)
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    number: PhoneNumber
    def __init__(self, number: _Optional[_Union[PhoneNumber, _Mapping]] = ...) -> None: ...

class SearchNumbersRequest(_message.Message):
    __slots__ = ("area_code",)
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    area_code: str
    def __init__(self, area_code: _Optional[str] = ...) -> None: ...

class SearchNumbersResponse(_message.Message):
    __slots__ = ("e164",)
    E164_FIELD_NUMBER: _ClassVar[int]
    e164: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, e164: _Optional[_Iterable[str]] = ...) -> None: ...

class ReserveNumberRequest(_message.Message):
    __slots__ = ("e164",)
    E164_FIELD_NUMBER: _ClassVar[int]
    e164: str
    def __init__(self, e164: _Optional[str] = ...) -> None: ...

class ReserveNumberResponse(_message.Message):
    __slots__ = ("number",)
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    number: PhoneNumber
    def __init__(self, number: _Optional[_Union[PhoneNumber, _Mapping]] = ...) -> None: ...

class PurchaseNumberRequest(_message.Message):
    __slots__ = ("e164",)
    E164_FIELD_NUMBER: _ClassVar[int]
    e164: str
    def __init__(self, e164: _Optional[str] = ...) -> None: ...

class PurchaseNumberResponse(_message.Message):
    __slots__ = ("number",)
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    number: PhoneNumber
    def __init__(self, number: _Optional[_Union[PhoneNumber, _Mapping]] = ...) -> None: ...

class ListCallsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCallsResponse(_message.Message):
    __slots__ = ("calls", "next_page_token")
    CALLS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    calls: _containers.RepeatedCompositeFieldContainer[Call]
    next_page_token: str
    def __init__(self, calls: _Optional[_Iterable[_Union[Call, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
