import datetime

from flowyte.v1 import annotations_pb2 as _annotations_pb2
from flowyte.v1 import skill_service_pb2 as _skill_service_pb2
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

class IntegrationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INTEGRATION_KIND_UNSPECIFIED: _ClassVar[IntegrationKind]
    INTEGRATION_KIND_SHOPIFY: _ClassVar[IntegrationKind]
    INTEGRATION_KIND_OPENAI: _ClassVar[IntegrationKind]

class IntegrationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INTEGRATION_STATUS_UNSPECIFIED: _ClassVar[IntegrationStatus]
    INTEGRATION_STATUS_CONNECTED: _ClassVar[IntegrationStatus]
    INTEGRATION_STATUS_NEEDS_CREDENTIAL: _ClassVar[IntegrationStatus]
    INTEGRATION_STATUS_UNAVAILABLE: _ClassVar[IntegrationStatus]
    INTEGRATION_STATUS_MISCONFIGURED: _ClassVar[IntegrationStatus]

class AuthMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUTH_METHOD_UNSPECIFIED: _ClassVar[AuthMethod]
    AUTH_METHOD_ACCESS_TOKEN: _ClassVar[AuthMethod]
    AUTH_METHOD_CLIENT_CREDENTIALS: _ClassVar[AuthMethod]
INTEGRATION_KIND_UNSPECIFIED: IntegrationKind
INTEGRATION_KIND_SHOPIFY: IntegrationKind
INTEGRATION_KIND_OPENAI: IntegrationKind
INTEGRATION_STATUS_UNSPECIFIED: IntegrationStatus
INTEGRATION_STATUS_CONNECTED: IntegrationStatus
INTEGRATION_STATUS_NEEDS_CREDENTIAL: IntegrationStatus
INTEGRATION_STATUS_UNAVAILABLE: IntegrationStatus
INTEGRATION_STATUS_MISCONFIGURED: IntegrationStatus
AUTH_METHOD_UNSPECIFIED: AuthMethod
AUTH_METHOD_ACCESS_TOKEN: AuthMethod
AUTH_METHOD_CLIENT_CREDENTIALS: AuthMethod

class Integration(_message.Message):
    __slots__ = ("name", "id", "kind", "shop", "status", "token_last4", "auth_method", "api_base_url", "create_time", "update_time", "api_version", "answered_api_version", "status_reason", "status_message")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SHOP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LAST4_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_FIELD_NUMBER: _ClassVar[int]
    API_BASE_URL_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_API_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    kind: IntegrationKind
    shop: str
    status: IntegrationStatus
    token_last4: str
    auth_method: AuthMethod
    api_base_url: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    api_version: str
    answered_api_version: str
    status_reason: str
    status_message: str
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., kind: _Optional[_Union[IntegrationKind, str]] = ..., shop: _Optional[str] = ..., status: _Optional[_Union[IntegrationStatus, str]] = ..., token_last4: _Optional[str] = ..., auth_method: _Optional[_Union[AuthMethod, str]] = ..., api_base_url: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., api_version: _Optional[str] = ..., answered_api_version: _Optional[str] = ..., status_reason: _Optional[str] = ..., status_message: _Optional[str] = ...) -> None: ...

class ClientCredentials(_message.Message):
    __slots__ = ("client_id", "client_secret")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    client_secret: str
    def __init__(self, client_id: _Optional[str] = ..., client_secret: _Optional[str] = ...) -> None: ...

class IntegrationCredentials(_message.Message):
    __slots__ = ("shop", "access_token", "client_credentials")
    SHOP_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    shop: str
    access_token: str
    client_credentials: ClientCredentials
    def __init__(self, shop: _Optional[str] = ..., access_token: _Optional[str] = ..., client_credentials: _Optional[_Union[ClientCredentials, _Mapping]] = ...) -> None: ...

class IntegrationAction(_message.Message):
    __slots__ = ("name", "description", "is_write")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IS_WRITE_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    is_write: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., is_write: _Optional[bool] = ...) -> None: ...

class ProvisionedSkill(_message.Message):
    __slots__ = ("skill", "created")
    SKILL_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    skill: _skill_service_pb2.Skill
    created: bool
    def __init__(self, skill: _Optional[_Union[_skill_service_pb2.Skill, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class ConnectIntegrationRequest(_message.Message):
    __slots__ = ("kind", "credentials", "api_base_url", "api_version")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    API_BASE_URL_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    kind: IntegrationKind
    credentials: IntegrationCredentials
    api_base_url: str
    api_version: str
    def __init__(self, kind: _Optional[_Union[IntegrationKind, str]] = ..., credentials: _Optional[_Union[IntegrationCredentials, _Mapping]] = ..., api_base_url: _Optional[str] = ..., api_version: _Optional[str] = ...) -> None: ...

class ConnectIntegrationResponse(_message.Message):
    __slots__ = ("integration",)
    INTEGRATION_FIELD_NUMBER: _ClassVar[int]
    integration: Integration
    def __init__(self, integration: _Optional[_Union[Integration, _Mapping]] = ...) -> None: ...

class GetIntegrationRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetIntegrationResponse(_message.Message):
    __slots__ = ("integration",)
    INTEGRATION_FIELD_NUMBER: _ClassVar[int]
    integration: Integration
    def __init__(self, integration: _Optional[_Union[Integration, _Mapping]] = ...) -> None: ...

class ListIntegrationsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListIntegrationsResponse(_message.Message):
    __slots__ = ("integrations", "next_page_token")
    INTEGRATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    integrations: _containers.RepeatedCompositeFieldContainer[Integration]
    next_page_token: str
    def __init__(self, integrations: _Optional[_Iterable[_Union[Integration, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DisconnectIntegrationRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DisconnectIntegrationResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListIntegrationActionsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListIntegrationActionsResponse(_message.Message):
    __slots__ = ("actions",)
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    actions: _containers.RepeatedCompositeFieldContainer[IntegrationAction]
    def __init__(self, actions: _Optional[_Iterable[_Union[IntegrationAction, _Mapping]]] = ...) -> None: ...

class ProvisionIntegrationRequest(_message.Message):
    __slots__ = ("name", "agent", "actions")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    agent: str
    actions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., agent: _Optional[str] = ..., actions: _Optional[_Iterable[str]] = ...) -> None: ...

class ProvisionIntegrationResponse(_message.Message):
    __slots__ = ("skills",)
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    skills: _containers.RepeatedCompositeFieldContainer[ProvisionedSkill]
    def __init__(self, skills: _Optional[_Iterable[_Union[ProvisionedSkill, _Mapping]]] = ...) -> None: ...

class UnprovisionIntegrationRequest(_message.Message):
    __slots__ = ("name", "agent")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    agent: str
    def __init__(self, name: _Optional[str] = ..., agent: _Optional[str] = ...) -> None: ...

class UnprovisionIntegrationResponse(_message.Message):
    __slots__ = ("removed_skill_ids",)
    REMOVED_SKILL_IDS_FIELD_NUMBER: _ClassVar[int]
    removed_skill_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, removed_skill_ids: _Optional[_Iterable[str]] = ...) -> None: ...
