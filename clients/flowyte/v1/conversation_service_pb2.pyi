import datetime

from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1 import audit_pb2 as _audit_pb2
from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from flowyte.v1.google_api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SessionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_STATUS_UNSPECIFIED: _ClassVar[SessionStatus]
    SESSION_STATUS_ACTIVE: _ClassVar[SessionStatus]
    SESSION_STATUS_HANDED_OFF: _ClassVar[SessionStatus]
    SESSION_STATUS_ENDED: _ClassVar[SessionStatus]

class TransferOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSFER_OUTCOME_UNSPECIFIED: _ClassVar[TransferOutcome]
    TRANSFER_OUTCOME_ANSWERED: _ClassVar[TransferOutcome]
    TRANSFER_OUTCOME_NO_ANSWER: _ClassVar[TransferOutcome]
    TRANSFER_OUTCOME_FAILED: _ClassVar[TransferOutcome]
    TRANSFER_OUTCOME_REJECTED: _ClassVar[TransferOutcome]
SESSION_STATUS_UNSPECIFIED: SessionStatus
SESSION_STATUS_ACTIVE: SessionStatus
SESSION_STATUS_HANDED_OFF: SessionStatus
SESSION_STATUS_ENDED: SessionStatus
TRANSFER_OUTCOME_UNSPECIFIED: TransferOutcome
TRANSFER_OUTCOME_ANSWERED: TransferOutcome
TRANSFER_OUTCOME_NO_ANSWER: TransferOutcome
TRANSFER_OUTCOME_FAILED: TransferOutcome
TRANSFER_OUTCOME_REJECTED: TransferOutcome

class Session(_message.Message):
    __slots__ = ("name", "id", "agent_id", "agent_version", "channel", "draft_mode", "status", "handoff_id", "create_time", "end_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DRAFT_MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HANDOFF_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    agent_id: str
    agent_version: int
    channel: _audit_pb2.Channel
    draft_mode: bool
    status: SessionStatus
    handoff_id: str
    create_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., agent_id: _Optional[str] = ..., agent_version: _Optional[int] = ..., channel: _Optional[_Union[_audit_pb2.Channel, str]] = ..., draft_mode: _Optional[bool] = ..., status: _Optional[_Union[SessionStatus, str]] = ..., handoff_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChatMessage(_message.Message):
    __slots__ = ("role", "content")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    role: str
    content: str
    def __init__(self, role: _Optional[str] = ..., content: _Optional[str] = ...) -> None: ...

class TurnEnd(_message.Message):
    __slots__ = ("text", "session", "reply_id")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    text: str
    session: Session
    reply_id: str
    def __init__(self, text: _Optional[str] = ..., session: _Optional[_Union[Session, _Mapping]] = ..., reply_id: _Optional[str] = ...) -> None: ...

class HandoffNotice(_message.Message):
    __slots__ = ("handoff_id", "reason")
    HANDOFF_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    handoff_id: str
    reason: str
    def __init__(self, handoff_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class Transfer(_message.Message):
    __slots__ = ("destination", "warm")
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    WARM_FIELD_NUMBER: _ClassVar[int]
    destination: str
    warm: bool
    def __init__(self, destination: _Optional[str] = ..., warm: _Optional[bool] = ...) -> None: ...

class HangUp(_message.Message):
    __slots__ = ("reason",)
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: str
    def __init__(self, reason: _Optional[str] = ...) -> None: ...

class Interrupt(_message.Message):
    __slots__ = ("reply_id", "played_chars")
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    PLAYED_CHARS_FIELD_NUMBER: _ClassVar[int]
    reply_id: str
    played_chars: int
    def __init__(self, reply_id: _Optional[str] = ..., played_chars: _Optional[int] = ...) -> None: ...

class SpeechInput(_message.Message):
    __slots__ = ("text", "is_final", "confidence", "language")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    IS_FINAL_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    text: str
    is_final: bool
    confidence: float
    language: str
    def __init__(self, text: _Optional[str] = ..., is_final: _Optional[bool] = ..., confidence: _Optional[float] = ..., language: _Optional[str] = ...) -> None: ...

class DtmfInput(_message.Message):
    __slots__ = ("digits", "finish_digit")
    DIGITS_FIELD_NUMBER: _ClassVar[int]
    FINISH_DIGIT_FIELD_NUMBER: _ClassVar[int]
    digits: str
    finish_digit: str
    def __init__(self, digits: _Optional[str] = ..., finish_digit: _Optional[str] = ...) -> None: ...

class NoInput(_message.Message):
    __slots__ = ("silence_ms",)
    SILENCE_MS_FIELD_NUMBER: _ClassVar[int]
    silence_ms: int
    def __init__(self, silence_ms: _Optional[int] = ...) -> None: ...

class TransferResult(_message.Message):
    __slots__ = ("outcome", "destination", "sip_status")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    SIP_STATUS_FIELD_NUMBER: _ClassVar[int]
    outcome: TransferOutcome
    destination: str
    sip_status: int
    def __init__(self, outcome: _Optional[_Union[TransferOutcome, str]] = ..., destination: _Optional[str] = ..., sip_status: _Optional[int] = ...) -> None: ...

class ReplyDelta(_message.Message):
    __slots__ = ("reply_id", "text", "interruptible", "offset", "last")
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    INTERRUPTIBLE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    reply_id: str
    text: str
    interruptible: bool
    offset: int
    last: bool
    def __init__(self, reply_id: _Optional[str] = ..., text: _Optional[str] = ..., interruptible: _Optional[bool] = ..., offset: _Optional[int] = ..., last: _Optional[bool] = ...) -> None: ...

class Acknowledgement(_message.Message):
    __slots__ = ("reply_id", "text")
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    reply_id: str
    text: str
    def __init__(self, reply_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class PersonJoined(_message.Message):
    __slots__ = ("handoff_id", "claimed_by")
    HANDOFF_ID_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_BY_FIELD_NUMBER: _ClassVar[int]
    handoff_id: str
    claimed_by: str
    def __init__(self, handoff_id: _Optional[str] = ..., claimed_by: _Optional[str] = ...) -> None: ...

class ConverseConfig(_message.Message):
    __slots__ = ("agent_id", "channel", "caller_number", "called_number", "session_id", "draft_mode", "reply_deltas")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CALLER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CALLED_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_MODE_FIELD_NUMBER: _ClassVar[int]
    REPLY_DELTAS_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    channel: _audit_pb2.Channel
    caller_number: str
    called_number: str
    session_id: str
    draft_mode: bool
    reply_deltas: bool
    def __init__(self, agent_id: _Optional[str] = ..., channel: _Optional[_Union[_audit_pb2.Channel, str]] = ..., caller_number: _Optional[str] = ..., called_number: _Optional[str] = ..., session_id: _Optional[str] = ..., draft_mode: _Optional[bool] = ..., reply_deltas: _Optional[bool] = ...) -> None: ...

class CreateSessionRequest(_message.Message):
    __slots__ = ("agent_id", "draft_mode", "channel")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_MODE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    draft_mode: bool
    channel: _audit_pb2.Channel
    def __init__(self, agent_id: _Optional[str] = ..., draft_mode: _Optional[bool] = ..., channel: _Optional[_Union[_audit_pb2.Channel, str]] = ...) -> None: ...

class CreateSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class ListSessionEventsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class WatchSessionEventsRequest(_message.Message):
    __slots__ = ("parent", "after_seq")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    parent: str
    after_seq: int
    def __init__(self, parent: _Optional[str] = ..., after_seq: _Optional[int] = ...) -> None: ...

class WatchSessionEventsResponse(_message.Message):
    __slots__ = ("event", "heartbeat")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    event: _audit_pb2.AuditEvent
    heartbeat: Heartbeat
    def __init__(self, event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSessionEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_audit_pb2.AuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[_audit_pb2.AuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SendMessageRequest(_message.Message):
    __slots__ = ("session", "content")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    session: str
    content: str
    def __init__(self, session: _Optional[str] = ..., content: _Optional[str] = ...) -> None: ...

class SendMessageResponse(_message.Message):
    __slots__ = ("reply", "events", "session")
    REPLY_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    reply: ChatMessage
    events: _containers.RepeatedCompositeFieldContainer[_audit_pb2.AuditEvent]
    session: Session
    def __init__(self, reply: _Optional[_Union[ChatMessage, _Mapping]] = ..., events: _Optional[_Iterable[_Union[_audit_pb2.AuditEvent, _Mapping]]] = ..., session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class StreamMessageRequest(_message.Message):
    __slots__ = ("session", "content")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    session: str
    content: str
    def __init__(self, session: _Optional[str] = ..., content: _Optional[str] = ...) -> None: ...

class StreamMessageResponse(_message.Message):
    __slots__ = ("event", "text_delta", "turn_end")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    TEXT_DELTA_FIELD_NUMBER: _ClassVar[int]
    TURN_END_FIELD_NUMBER: _ClassVar[int]
    event: _audit_pb2.AuditEvent
    text_delta: str
    turn_end: TurnEnd
    def __init__(self, event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ..., text_delta: _Optional[str] = ..., turn_end: _Optional[_Union[TurnEnd, _Mapping]] = ...) -> None: ...

class ConverseRequest(_message.Message):
    __slots__ = ("config", "text", "dtmf_digits", "interrupt", "speech", "dtmf", "no_input", "transfer_result")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DTMF_DIGITS_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_FIELD_NUMBER: _ClassVar[int]
    SPEECH_FIELD_NUMBER: _ClassVar[int]
    DTMF_FIELD_NUMBER: _ClassVar[int]
    NO_INPUT_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_RESULT_FIELD_NUMBER: _ClassVar[int]
    config: ConverseConfig
    text: str
    dtmf_digits: str
    interrupt: Interrupt
    speech: SpeechInput
    dtmf: DtmfInput
    no_input: NoInput
    transfer_result: TransferResult
    def __init__(self, config: _Optional[_Union[ConverseConfig, _Mapping]] = ..., text: _Optional[str] = ..., dtmf_digits: _Optional[str] = ..., interrupt: _Optional[_Union[Interrupt, _Mapping]] = ..., speech: _Optional[_Union[SpeechInput, _Mapping]] = ..., dtmf: _Optional[_Union[DtmfInput, _Mapping]] = ..., no_input: _Optional[_Union[NoInput, _Mapping]] = ..., transfer_result: _Optional[_Union[TransferResult, _Mapping]] = ...) -> None: ...

class ConverseResponse(_message.Message):
    __slots__ = ("session", "text_delta", "turn_end", "handoff", "transfer", "hang_up", "event", "reply_delta", "acknowledgement", "person_joined")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    TEXT_DELTA_FIELD_NUMBER: _ClassVar[int]
    TURN_END_FIELD_NUMBER: _ClassVar[int]
    HANDOFF_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_FIELD_NUMBER: _ClassVar[int]
    HANG_UP_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    REPLY_DELTA_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_FIELD_NUMBER: _ClassVar[int]
    PERSON_JOINED_FIELD_NUMBER: _ClassVar[int]
    session: Session
    text_delta: str
    turn_end: TurnEnd
    handoff: HandoffNotice
    transfer: Transfer
    hang_up: HangUp
    event: _audit_pb2.AuditEvent
    reply_delta: ReplyDelta
    acknowledgement: Acknowledgement
    person_joined: PersonJoined
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., text_delta: _Optional[str] = ..., turn_end: _Optional[_Union[TurnEnd, _Mapping]] = ..., handoff: _Optional[_Union[HandoffNotice, _Mapping]] = ..., transfer: _Optional[_Union[Transfer, _Mapping]] = ..., hang_up: _Optional[_Union[HangUp, _Mapping]] = ..., event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ..., reply_delta: _Optional[_Union[ReplyDelta, _Mapping]] = ..., acknowledgement: _Optional[_Union[Acknowledgement, _Mapping]] = ..., person_joined: _Optional[_Union[PersonJoined, _Mapping]] = ...) -> None: ...

class EndSessionRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class EndSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class SimulateConversationRequest(_message.Message):
    __slots__ = ("agent_id", "transcript", "draft_mode")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    DRAFT_MODE_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    transcript: _containers.RepeatedScalarFieldContainer[str]
    draft_mode: bool
    def __init__(self, agent_id: _Optional[str] = ..., transcript: _Optional[_Iterable[str]] = ..., draft_mode: _Optional[bool] = ...) -> None: ...

class SimulateConversationResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _audit_pb2.AuditEvent
    def __init__(self, event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ...) -> None: ...

class CompleteChatRequest(_message.Message):
    __slots__ = ("agent_id", "messages", "user")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    messages: _containers.RepeatedCompositeFieldContainer[ChatMessage]
    user: str
    def __init__(self, agent_id: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[ChatMessage, _Mapping]]] = ..., user: _Optional[str] = ...) -> None: ...

class CompleteChatResponse(_message.Message):
    __slots__ = ("reply", "finish_reason", "prompt_tokens", "completion_tokens", "session", "handoff_id", "create_time")
    REPLY_FIELD_NUMBER: _ClassVar[int]
    FINISH_REASON_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    HANDOFF_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    reply: ChatMessage
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    session: str
    handoff_id: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, reply: _Optional[_Union[ChatMessage, _Mapping]] = ..., finish_reason: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., session: _Optional[str] = ..., handoff_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StreamCompleteChatRequest(_message.Message):
    __slots__ = ("agent_id", "messages", "user")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    messages: _containers.RepeatedCompositeFieldContainer[ChatMessage]
    user: str
    def __init__(self, agent_id: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[ChatMessage, _Mapping]]] = ..., user: _Optional[str] = ...) -> None: ...

class StreamCompleteChatResponse(_message.Message):
    __slots__ = ("text_delta", "finish_reason", "prompt_tokens", "completion_tokens", "session", "handoff_id", "create_time")
    TEXT_DELTA_FIELD_NUMBER: _ClassVar[int]
    FINISH_REASON_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    HANDOFF_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    text_delta: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    session: str
    handoff_id: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, text_delta: _Optional[str] = ..., finish_reason: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., session: _Optional[str] = ..., handoff_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChatModel(_message.Message):
    __slots__ = ("id", "display_name", "create_time", "published_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    display_name: str
    create_time: _timestamp_pb2.Timestamp
    published_version: int
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_version: _Optional[int] = ...) -> None: ...

class ListChatModelsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListChatModelsResponse(_message.Message):
    __slots__ = ("models", "next_page_token")
    MODELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    models: _containers.RepeatedCompositeFieldContainer[ChatModel]
    next_page_token: str
    def __init__(self, models: _Optional[_Iterable[_Union[ChatModel, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
