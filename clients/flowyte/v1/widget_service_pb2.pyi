import datetime

from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1 import audit_pb2 as _audit_pb2
from flowyte.v1 import conversation_service_pb2 as _conversation_service_pb2
from flowyte.v1.google_api import field_behavior_pb2 as _field_behavior_pb2
from flowyte.v1.google_api import resource_pb2 as _resource_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PublishableKey(_message.Message):
    __slots__ = ("name", "id", "agent_id", "display_name", "allowed_origins", "rate_limit_rpm", "key_public", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMIT_RPM_FIELD_NUMBER: _ClassVar[int]
    KEY_PUBLIC_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    agent_id: str
    display_name: str
    allowed_origins: _containers.RepeatedScalarFieldContainer[str]
    rate_limit_rpm: int
    key_public: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., agent_id: _Optional[str] = ..., display_name: _Optional[str] = ..., allowed_origins: _Optional[_Iterable[str]] = ..., rate_limit_rpm: _Optional[int] = ..., key_public: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WidgetConfig(_message.Message):
    __slots__ = ("theme", "copy", "behavior")
    THEME_FIELD_NUMBER: _ClassVar[int]
    COPY_FIELD_NUMBER: _ClassVar[int]
    BEHAVIOR_FIELD_NUMBER: _ClassVar[int]
    theme: _struct_pb2.Struct
    copy: _struct_pb2.Struct
    behavior: _struct_pb2.Struct
    def __init__(self, theme: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., copy: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., behavior: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class CreatePublishableKeyRequest(_message.Message):
    __slots__ = ("parent", "publishable_key")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    parent: str
    publishable_key: PublishableKey
    def __init__(self, parent: _Optional[str] = ..., publishable_key: _Optional[_Union[PublishableKey, _Mapping]] = ...) -> None: ...

class CreatePublishableKeyResponse(_message.Message):
    __slots__ = ("publishable_key",)
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    publishable_key: PublishableKey
    def __init__(self, publishable_key: _Optional[_Union[PublishableKey, _Mapping]] = ...) -> None: ...

class GetPublishableKeyRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetPublishableKeyResponse(_message.Message):
    __slots__ = ("publishable_key",)
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    publishable_key: PublishableKey
    def __init__(self, publishable_key: _Optional[_Union[PublishableKey, _Mapping]] = ...) -> None: ...

class ListPublishableKeysRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPublishableKeysResponse(_message.Message):
    __slots__ = ("publishable_keys", "next_page_token")
    PUBLISHABLE_KEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    publishable_keys: _containers.RepeatedCompositeFieldContainer[PublishableKey]
    next_page_token: str
    def __init__(self, publishable_keys: _Optional[_Iterable[_Union[PublishableKey, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdatePublishableKeyRequest(_message.Message):
    __slots__ = ("publishable_key", "update_mask")
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    publishable_key: PublishableKey
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, publishable_key: _Optional[_Union[PublishableKey, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdatePublishableKeyResponse(_message.Message):
    __slots__ = ("publishable_key",)
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    publishable_key: PublishableKey
    def __init__(self, publishable_key: _Optional[_Union[PublishableKey, _Mapping]] = ...) -> None: ...

class RotatePublishableKeyRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class RotatePublishableKeyResponse(_message.Message):
    __slots__ = ("publishable_key",)
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    publishable_key: PublishableKey
    def __init__(self, publishable_key: _Optional[_Union[PublishableKey, _Mapping]] = ...) -> None: ...

class DeletePublishableKeyRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeletePublishableKeyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetWidgetConfigRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class GetWidgetConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: WidgetConfig
    def __init__(self, config: _Optional[_Union[WidgetConfig, _Mapping]] = ...) -> None: ...

class UpdateWidgetConfigRequest(_message.Message):
    __slots__ = ("parent", "config")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    parent: str
    config: WidgetConfig
    def __init__(self, parent: _Optional[str] = ..., config: _Optional[_Union[WidgetConfig, _Mapping]] = ...) -> None: ...

class UpdateWidgetConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: WidgetConfig
    def __init__(self, config: _Optional[_Union[WidgetConfig, _Mapping]] = ...) -> None: ...

class GetWidgetEmbedRequest(_message.Message):
    __slots__ = ("parent", "publishable_key_id", "widget_base_url")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHABLE_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    WIDGET_BASE_URL_FIELD_NUMBER: _ClassVar[int]
    parent: str
    publishable_key_id: str
    widget_base_url: str
    def __init__(self, parent: _Optional[str] = ..., publishable_key_id: _Optional[str] = ..., widget_base_url: _Optional[str] = ...) -> None: ...

class GetWidgetEmbedResponse(_message.Message):
    __slots__ = ("script_snippet", "publishable_key")
    SCRIPT_SNIPPET_FIELD_NUMBER: _ClassVar[int]
    PUBLISHABLE_KEY_FIELD_NUMBER: _ClassVar[int]
    script_snippet: str
    publishable_key: str
    def __init__(self, script_snippet: _Optional[str] = ..., publishable_key: _Optional[str] = ...) -> None: ...

class GetWidgetBootstrapRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetWidgetBootstrapResponse(_message.Message):
    __slots__ = ("agent_meta", "config")
    AGENT_META_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    agent_meta: _struct_pb2.Struct
    config: WidgetConfig
    def __init__(self, agent_meta: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., config: _Optional[_Union[WidgetConfig, _Mapping]] = ...) -> None: ...

class CreateWidgetSessionRequest(_message.Message):
    __slots__ = ("visitor_token",)
    VISITOR_TOKEN_FIELD_NUMBER: _ClassVar[int]
    visitor_token: str
    def __init__(self, visitor_token: _Optional[str] = ...) -> None: ...

class CreateWidgetSessionResponse(_message.Message):
    __slots__ = ("conversation_id", "visitor_token")
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_TOKEN_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    visitor_token: str
    def __init__(self, conversation_id: _Optional[str] = ..., visitor_token: _Optional[str] = ...) -> None: ...

class StreamWidgetMessageRequest(_message.Message):
    __slots__ = ("visitor_token", "content", "client_message_id")
    VISITOR_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    visitor_token: str
    content: str
    client_message_id: str
    def __init__(self, visitor_token: _Optional[str] = ..., content: _Optional[str] = ..., client_message_id: _Optional[str] = ...) -> None: ...

class StreamWidgetMessageResponse(_message.Message):
    __slots__ = ("event", "text_delta", "turn_end")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    TEXT_DELTA_FIELD_NUMBER: _ClassVar[int]
    TURN_END_FIELD_NUMBER: _ClassVar[int]
    event: _audit_pb2.AuditEvent
    text_delta: str
    turn_end: _conversation_service_pb2.TurnEnd
    def __init__(self, event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ..., text_delta: _Optional[str] = ..., turn_end: _Optional[_Union[_conversation_service_pb2.TurnEnd, _Mapping]] = ...) -> None: ...

class WatchWidgetSessionRequest(_message.Message):
    __slots__ = ("visitor_token", "after_seq")
    VISITOR_TOKEN_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    visitor_token: str
    after_seq: int
    def __init__(self, visitor_token: _Optional[str] = ..., after_seq: _Optional[int] = ...) -> None: ...

class WatchWidgetSessionResponse(_message.Message):
    __slots__ = ("event", "heartbeat")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    event: _audit_pb2.AuditEvent
    heartbeat: _conversation_service_pb2.Heartbeat
    def __init__(self, event: _Optional[_Union[_audit_pb2.AuditEvent, _Mapping]] = ..., heartbeat: _Optional[_Union[_conversation_service_pb2.Heartbeat, _Mapping]] = ...) -> None: ...
