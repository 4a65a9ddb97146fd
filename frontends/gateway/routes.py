"""THE route table of the REST gateway.

The router and `/openapi.json` are both built from `ROUTES`, so what is served and what is
documented cannot drift apart.
"""

from __future__ import annotations

from flowyte.contract import max_items
from flowyte.v1 import agent_service_pb2 as agents_pb
from flowyte.v1 import api_key_service_pb2 as keys_pb
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as chat_pb
from flowyte.v1 import guardrail_service_pb2 as guardrails_pb
from flowyte.v1 import handoff_service_pb2 as handoffs_pb
from flowyte.v1 import integration_service_pb2 as integrations_pb
from flowyte.v1 import number_service_pb2 as numbers_pb
from flowyte.v1 import skill_service_pb2 as skills_pb
from flowyte.v1 import widget_service_pb2 as widgets_pb
from frontends.gateway.handlers import (
    agents,
    chat,
    guardrails,
    handoffs,
    integrations,
    keys,
    numbers,
    openai,
    skills,
    widgets,
)
from frontends.gateway.operation import ALWAYS, ON_REQUEST, Route
from frontends.gateway.schemas import (
    NON_EMPTY_STRING,
    behaviour_keywords,
    list_of,
    message_schema,
    obj,
)

# --- shared schemas ------------------------------------------------------------------

AGENT = message_schema(agents_pb.Agent, for_input=False)
AGENT_CREATE = message_schema(agents_pb.Agent, for_input=True, required=["name"])
AGENT_PATCH = {**message_schema(agents_pb.Agent, for_input=True), "minProperties": 1}
VERSION = message_schema(agents_pb.AgentVersion, for_input=False)
CHANGE = message_schema(agents_pb.FieldChange, for_input=False)
REPORT = message_schema(agents_pb.GetPrepublishReportResponse, for_input=False)

SKILL = message_schema(skills_pb.Skill, for_input=False)
SKILL_CREATE = message_schema(skills_pb.Skill, for_input=True, required=["name", "skillType"])
SKILL_PATCH = {**message_schema(skills_pb.Skill, for_input=True), "minProperties": 1}

GUARDRAIL = message_schema(guardrails_pb.GuardrailPolicy, for_input=False)
GUARDRAILS_PUT = obj(
    {
        "guardrails": list_of(
            message_schema(guardrails_pb.GuardrailPolicy, for_input=True, required=["policyType"])
        )
    },
    required=["guardrails"],
)
VERIFICATION = message_schema(guardrails_pb.CallerVerificationMethod, for_input=False)
VERIFICATION_PUT = obj(
    {
        "methods": list_of(
            message_schema(
                guardrails_pb.CallerVerificationMethod, for_input=True, required=["method"]
            )
        )
    },
    required=["methods"],
)

API_KEY = message_schema(keys_pb.ApiKey, for_input=False)
API_KEY_CREATED = {
    **API_KEY,
    "properties": {
        **API_KEY["properties"],
        "secret": message_schema(keys_pb.CreateApiKeyResponse, for_input=False)["properties"][
            "secret"
        ],
    },
}
API_KEY_CREATE = obj(
    {"name": NON_EMPTY_STRING, "scopes": {**list_of(NON_EMPTY_STRING), "minItems": 1}},
    required=["name", "scopes"],
)

PUBKEY = message_schema(widgets_pb.PublishableKey, for_input=False)
PUBKEY_CREATE = message_schema(
    widgets_pb.PublishableKey, for_input=True, required=["name", "allowedOrigins"]
)
PUBKEY_PATCH = {**message_schema(widgets_pb.PublishableKey, for_input=True), "minProperties": 1}
WIDGET_CONFIG = message_schema(widgets_pb.WidgetConfig, for_input=False)
WIDGET_CONFIG_PUT = message_schema(widgets_pb.WidgetConfig, for_input=True)
EMBED = message_schema(widgets_pb.GetWidgetEmbedResponse, for_input=False)

NUMBER = message_schema(numbers_pb.PhoneNumber, for_input=False)
NUMBER_IMPORT = obj({"e164": NON_EMPTY_STRING, "agentId": NON_EMPTY_STRING}, required=["e164"])
NUMBER_ASSIGN = obj({"agentId": NON_EMPTY_STRING}, required=["agentId"])
NUMBER_BUY = obj({"e164": NON_EMPTY_STRING})
CALL = message_schema(numbers_pb.Call, for_input=False)

INTEGRATION = message_schema(integrations_pb.Integration, for_input=False)
ACTION = message_schema(integrations_pb.IntegrationAction, for_input=False)
PROVISIONED = message_schema(integrations_pb.ProvisionedSkill, for_input=False)
# The credentials go in and never come out: INPUT_ONLY in the contract, writeOnly here.
_CREDENTIALS = integrations_pb.ConnectIntegrationRequest.DESCRIPTOR.fields_by_name["credentials"]
CONNECT = obj(
    {
        "credentials": obj(
            {
                "shop": NON_EMPTY_STRING,
                "access_token": NON_EMPTY_STRING,
                "client_id": NON_EMPTY_STRING,
                "client_secret": NON_EMPTY_STRING,
            },
            # One way to authenticate; `x-message` is what the caller reads when neither is given.
            anyOf=[{"required": ["access_token"]}, {"required": ["client_id", "client_secret"]}],
            **{"x-message": "give access_token, or client_id and client_secret"},
            **behaviour_keywords(_CREDENTIALS),
        ),
        "apiBaseUrl": NON_EMPTY_STRING,
        "apiVersion": NON_EMPTY_STRING,
    },
    required=["credentials"],
)
PROVISION = obj({"actions": list_of(NON_EMPTY_STRING)})

SESSION = message_schema(chat_pb.Session, for_input=False)
AUDIT_EVENT = message_schema(audit_pb2.AuditEvent, for_input=False)
CONTENT = {"type": "string", "minLength": 1, "maxLength": 4000}
SESSION_CREATE = obj(
    {"agentId": NON_EMPTY_STRING, "draftMode": {"type": "boolean"}}, required=["agentId"]
)
MESSAGE_SEND = obj({"content": CONTENT, "stream": {"type": "boolean"}}, required=["content"])
TURN = obj(
    {
        "reply": obj({"role": {"const": "assistant"}, "content": {"type": "string"}}),
        "events": list_of(AUDIT_EVENT),
        "session": obj(
            {
                "id": {"type": "string"},
                "status": {"type": "string"},
                "handoffId": {"type": "string"},
            }
        ),
    }
)
SIMULATE = obj(
    {
        "mode": {"const": "text"},
        "draftMode": {"type": "boolean"},
        "transcript": {
            **list_of(CONTENT),
            "minItems": 1,
            "maxItems": max_items(
                chat_pb.SimulateConversationRequest.DESCRIPTOR.fields_by_name["transcript"]
            ),
        },
    },
    required=["transcript"],
)
HANDOFF = message_schema(handoffs_pb.Handoff, for_input=False)
HANDOFF_STATUS = {"enum": list(handoffs.STATUSES)}

# OpenAI's request shape: only model, messages, stream and user are read; other fields the
# SDKs send (temperature, ...) are accepted and ignored, except `tools` (refused).
CHAT_COMPLETION = {
    "type": "object",
    "properties": {
        "model": NON_EMPTY_STRING,
        "messages": {
            **list_of(
                {
                    "type": "object",
                    "properties": {
                        "role": {"enum": ["system", "user", "assistant", "tool"]},
                        "content": {"type": ["string", "array", "null"]},
                    },
                    "required": ["role"],
                }
            ),
            "minItems": 1,
        },
        "stream": {"type": ["boolean", "null"]},
        "user": {"type": ["string", "null"]},
    },
    "required": ["model", "messages"],
}
CHAT_COMPLETION_ANSWER = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "chat.completion"},
        "created": {"type": "integer"},
        "model": {"type": "string"},
        "choices": list_of({"type": "object"}),
        "usage": {"type": "object"},
    },
}
MODELS = {
    "type": "object",
    "properties": {"object": {"const": "list"}, "data": list_of({"type": "object"})},
}

KIND = {"enum": list(integrations.KINDS)}
VERSION_NUMBER = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
DELETED = obj({"id": {"type": "string"}, "deleted": {"const": True}})

# --- the table -----------------------------------------------------------------------

# One operation a row; kept as a table on purpose, hence no formatter here.
# fmt: off
ROUTES: list[Route] = [
    # Keys
    Route("POST", "/api-keys", "createApiKey", "Create a secret key; its secret is shown once",
          keys.create_key, "ApiKeyService.CreateApiKey", body=API_KEY_CREATE,
          response=API_KEY_CREATED, status=201),
    Route("GET", "/api-keys", "listApiKeys", "List the organization's keys",
          keys.list_keys, "ApiKeyService.ListApiKeys", response=API_KEY, paged=True),
    Route("GET", "/api-keys/{id}", "getApiKey", "Get a key's metadata",
          keys.get_key, "ApiKeyService.GetApiKey", response=API_KEY),
    Route("DELETE", "/api-keys/{id}", "revokeApiKey", "Revoke a key at once",
          keys.revoke_key, "ApiKeyService.RevokeApiKey", response=API_KEY),
    # Agents
    Route("POST", "/agents", "createAgent", "Create a draft agent",
          agents.create_agent, "AgentService.CreateAgent", body=AGENT_CREATE, response=AGENT,
          status=201),
    Route("GET", "/agents", "listAgents", "List agents, oldest first",
          agents.list_agents, "AgentService.ListAgents", response=AGENT, paged=True),
    Route("GET", "/agents/{id}", "getAgent", "Get an agent's draft",
          agents.get_agent, "AgentService.GetAgent", response=AGENT),
    Route("PATCH", "/agents/{id}", "updateAgent", "Change the fields given in the body",
          agents.update_agent, "AgentService.UpdateAgent", body=AGENT_PATCH, response=AGENT),
    Route("DELETE", "/agents/{id}", "deleteAgent",
          "Delete an agent, its versions and skills; its numbers are unassigned",
          agents.delete_agent, "AgentService.DeleteAgent", response=DELETED),
    Route("POST", "/agents/{id}/publish", "publishAgent", "Freeze the draft as a new version",
          agents.publish_agent, "AgentService.PublishAgent",
          body=obj({"note": {"type": "string"}}), response=VERSION, status=201),
    Route("GET", "/agents/{id}/versions", "listAgentVersions", "List versions, newest first",
          agents.list_versions, "AgentService.ListAgentVersions", response=VERSION, paged=True),
    Route("POST", "/agents/{id}/rollback", "rollbackAgent",
          "Publish an earlier version again and reset the draft to it",
          agents.rollback_agent, "AgentService.RollbackAgent",
          body=obj({"versionId": VERSION_NUMBER}, required=["versionId"]), response=VERSION,
          status=201),
    Route("GET", "/agents/{id}/versions/{versionId}/diff", "diffAgentVersions",
          "What changed in a version against the one before it (or ?against=)",
          agents.diff_versions, "AgentService.DiffAgentVersions",
          params={"versionId": VERSION_NUMBER}, query={"against": VERSION_NUMBER},
          response=list_of(CHANGE)),
    Route("POST", "/agents/{id}/simulate", "simulateConversation",
          "Run scripted customer lines against the draft; SSE of the audit events",
          chat.simulate, "ConversationService.SimulateConversation", body=SIMULATE,
          response=AUDIT_EVENT, streams=ALWAYS),
    Route("GET", "/agents/{id}/prepublish-report", "getPrepublishReport",
          "In plain words, what the agent will and won't say and do",
          agents.prepublish_report, "AgentService.GetPrepublishReport", response=REPORT),
    # Skills
    Route("POST", "/agents/{id}/skills", "createSkill", "Add a skill to the draft",
          skills.create_skill, "SkillService.CreateSkill", body=SKILL_CREATE, response=SKILL,
          status=201),
    Route("GET", "/agents/{id}/skills", "listSkills", "List the draft's skills",
          skills.list_skills, "SkillService.ListSkills", response=SKILL, paged=True),
    Route("GET", "/agents/{id}/skills/{sid}", "getSkill", "Get a skill",
          skills.get_skill, "SkillService.GetSkill", response=SKILL),
    Route("PATCH", "/agents/{id}/skills/{sid}", "updateSkill", "Change the fields given",
          skills.update_skill, "SkillService.UpdateSkill", body=SKILL_PATCH, response=SKILL),
    Route("DELETE", "/agents/{id}/skills/{sid}", "deleteSkill", "Remove a skill from the draft",
          skills.delete_skill, "SkillService.DeleteSkill", response=DELETED),
    # Guardrails and caller verification
    Route("GET", "/agents/{id}/guardrails", "getGuardrails", "The draft's guardrails",
          guardrails.get_guardrails, "GuardrailService.GetGuardrails",
          response=list_of(GUARDRAIL)),
    Route("PUT", "/agents/{id}/guardrails", "replaceGuardrails",
          "Replace the draft's guardrails (a bare array is accepted too)",
          guardrails.replace_guardrails, "GuardrailService.ReplaceGuardrails",
          body=GUARDRAILS_PUT, response=list_of(GUARDRAIL), list_key="guardrails"),
    Route("GET", "/agents/{id}/caller-verification", "getCallerVerification",
          "The draft's caller verification methods",
          guardrails.get_caller_verification, "GuardrailService.GetCallerVerification",
          response=list_of(VERIFICATION)),
    Route("PUT", "/agents/{id}/caller-verification", "replaceCallerVerification",
          "Replace the draft's caller verification methods (a bare array is accepted too)",
          guardrails.replace_caller_verification, "GuardrailService.ReplaceCallerVerification",
          body=VERIFICATION_PUT, response=list_of(VERIFICATION), list_key="methods"),
    # Widget (the public routes are the widget frontend's)
    Route("POST", "/agents/{id}/publishable-keys", "createPublishableKey",
          "Create a publishable key for the agent's widget, pinned to its origins",
          widgets.create_key, "WidgetService.CreatePublishableKey", body=PUBKEY_CREATE,
          response=PUBKEY, status=201),
    Route("GET", "/agents/{id}/publishable-keys", "listPublishableKeys",
          "List the agent's publishable keys",
          widgets.list_keys, "WidgetService.ListPublishableKeys", response=PUBKEY, paged=True),
    Route("GET", "/agents/{id}/publishable-keys/{kid}", "getPublishableKey",
          "Get a publishable key",
          widgets.get_key, "WidgetService.GetPublishableKey", response=PUBKEY),
    Route("PATCH", "/agents/{id}/publishable-keys/{kid}", "updatePublishableKey",
          "Change a key's name, origins or rate limit",
          widgets.update_key, "WidgetService.UpdatePublishableKey", body=PUBKEY_PATCH,
          response=PUBKEY),
    Route("POST", "/agents/{id}/publishable-keys/{kid}/rotate", "rotatePublishableKey",
          "A new key value; the old one keeps working for a short grace window",
          widgets.rotate_key, "WidgetService.RotatePublishableKey", response=PUBKEY),
    Route("DELETE", "/agents/{id}/publishable-keys/{kid}", "deletePublishableKey",
          "Delete a publishable key; refused from the next call on",
          widgets.delete_key, "WidgetService.DeletePublishableKey", response=DELETED),
    Route("GET", "/agents/{id}/widget", "getWidgetConfig",
          "The draft's widget theme, copy and behavior",
          widgets.get_config, "WidgetService.GetWidgetConfig", response=WIDGET_CONFIG),
    Route("PUT", "/agents/{id}/widget", "replaceWidgetConfig",
          "Replace the draft's widget theme, copy and behavior (live once published)",
          widgets.replace_config, "WidgetService.UpdateWidgetConfig", body=WIDGET_CONFIG_PUT,
          response=WIDGET_CONFIG),
    Route("GET", "/agents/{id}/widget/embed", "getWidgetEmbed",
          "The one-tag script snippet for the storefront",
          widgets.get_embed, "WidgetService.GetWidgetEmbed",
          query={"publishableKeyId": NON_EMPTY_STRING, "widgetBaseUrl": NON_EMPTY_STRING},
          response=EMBED),
    # Voice: numbers and calls
    Route("POST", "/numbers/import", "importNumber",
          "Import a number from your SIP trunk (E.164; US 10-digit numbers are normalised), "
          "optionally assigned to an agent",
          numbers.import_number, "NumberService.ImportNumber", body=NUMBER_IMPORT,
          response=NUMBER, status=201),
    Route("GET", "/numbers", "listNumbers", "List the organization's numbers",
          numbers.list_numbers, "NumberService.ListNumbers", response=NUMBER, paged=True),
    Route("POST", "/numbers/{id}/assign", "assignNumber",
          "Route the number's calls to an agent (its published version)",
          numbers.assign_number, "NumberService.AssignNumber", body=NUMBER_ASSIGN,
          response=NUMBER),
    Route("DELETE", "/numbers/{id}/assign", "unassignNumber", "Stop routing the number's calls",
          numbers.unassign_number, "NumberService.UnassignNumber", response=NUMBER),
    Route("GET", "/numbers/search", "searchNumbers",
          "Reserved: buying numbers needs a carrier (always 403)",
          numbers.search_numbers, "NumberService.SearchNumbers",
          query={"areaCode": NON_EMPTY_STRING}, response=list_of({"type": "string"})),
    Route("POST", "/numbers/reserve", "reserveNumber",
          "Reserved: buying numbers needs a carrier (always 403)",
          numbers.reserve_number, "NumberService.ReserveNumber", body=NUMBER_BUY,
          response=NUMBER),
    Route("POST", "/numbers/purchase", "purchaseNumber",
          "Reserved: buying numbers needs a carrier (always 403)",
          numbers.purchase_number, "NumberService.PurchaseNumber", body=NUMBER_BUY,
          response=NUMBER),
    Route("GET", "/agents/{id}/calls", "listCalls",
          "The agent's calls, newest first, with duration, outcome, transfer and events",
          numbers.list_calls, "NumberService.ListCalls", response=CALL, paged=True),
    # Integrations
    Route("POST", "/integrations/{kind}/connect", "connectIntegration",
          "Connect (or reconnect) an integration; credentials are sealed, never returned",
          integrations.connect, "IntegrationService.ConnectIntegration",
          params={"kind": KIND}, body=CONNECT, response=INTEGRATION),
    Route("GET", "/integrations", "listIntegrations", "List the organization's integrations",
          integrations.list_integrations, "IntegrationService.ListIntegrations",
          response=INTEGRATION, paged=True),
    Route("GET", "/integrations/{kind}", "getIntegration", "Get an integration",
          integrations.get_integration, "IntegrationService.GetIntegration",
          params={"kind": KIND}, response=INTEGRATION),
    Route("DELETE", "/integrations/{kind}", "disconnectIntegration",
          "Disconnect an integration and destroy its credentials",
          integrations.disconnect, "IntegrationService.DisconnectIntegration",
          params={"kind": KIND},
          response=obj({"kind": {"type": "string"}, "deleted": {"const": True}})),
    Route("GET", "/integrations/{kind}/actions", "listIntegrationActions",
          "The actions an integration can provide as skills",
          integrations.list_actions, "IntegrationService.ListIntegrationActions",
          params={"kind": KIND}, response=list_of(ACTION)),
    Route("POST", "/agents/{id}/integrations/{kind}/provision", "provisionIntegration",
          "Create the integration's skills on the draft, with secure defaults (idempotent)",
          integrations.provision, "IntegrationService.ProvisionIntegration",
          params={"kind": KIND}, body=PROVISION, response=list_of(PROVISIONED)),
    Route("DELETE", "/agents/{id}/integrations/{kind}/provision", "unprovisionIntegration",
          "Remove the integration's skills from the draft",
          integrations.unprovision, "IntegrationService.UnprovisionIntegration",
          params={"kind": KIND},
          response=obj({"removedSkillIds": list_of({"type": "string"})})),
    # Chat
    Route("POST", "/chat/sessions", "createChatSession",
          "Start a session on the agent's published version (or its draft with draftMode)",
          chat.create_session, "ConversationService.CreateSession", body=SESSION_CREATE,
          response=SESSION, status=201),
    Route("GET", "/chat/sessions/{id}", "getChatSession", "Get a session",
          chat.get_session, "ConversationService.GetSession", response=SESSION),
    Route("GET", "/chat/sessions/{id}/messages", "listChatMessages",
          "The session's transcript as audit events, in order",
          chat.list_messages, "ConversationService.ListSessionEvents", response=AUDIT_EVENT,
          paged=True),
    Route("GET", "/chat/sessions/{id}/events", "followChatSession",
          "SSE of the session's audit events; with ?follow=true, new ones as they happen "
          "(a person's reply) until the session ends",
          chat.follow_events, "ConversationService.ListSessionEvents",
          query={"follow": {"enum": ["true", "false"]}}, response=AUDIT_EVENT, streams=ALWAYS),
    Route("POST", "/chat/sessions/{id}/messages", "sendChatMessage",
          "One customer turn; with stream: true, SSE of its audit events and reply deltas",
          chat.send_message, "ConversationService.SendMessage", body=MESSAGE_SEND,
          response=TURN, streams=ON_REQUEST),
    Route("POST", "/chat/sessions/{id}/end", "endChatSession", "End a session",
          chat.end_session, "ConversationService.EndSession", response=SESSION),
    Route("POST", "/chat/completions", "createChatCompletion",
          "OpenAI-compatible completion; model is a published agent's id",
          openai.chat_completions, "ConversationService.CompleteChat", body=CHAT_COMPLETION,
          response=CHAT_COMPLETION_ANSWER, openai=True, streams=ON_REQUEST),
    Route("GET", "/models", "listModels", "Published agents, as OpenAI models",
          openai.list_models, "ConversationService.ListChatModels", response=MODELS,
          openai=True),
    # Handoffs
    Route("GET", "/handoffs", "listHandoffs", "Handoffs, newest first (?status=open)",
          handoffs.list_handoffs, "HandoffService.ListHandoffs",
          query={"status": HANDOFF_STATUS}, response=HANDOFF, paged=True),
    Route("GET", "/handoffs/{id}", "getHandoff",
          "A handoff with its reason, order summary, verified identity and transcript",
          handoffs.get_handoff, "HandoffService.GetHandoff", response=HANDOFF),
    Route("POST", "/handoffs/{id}/claim", "claimHandoff", "Take the handoff",
          handoffs.claim_handoff, "HandoffService.ClaimHandoff",
          body=obj({"claimedBy": NON_EMPTY_STRING}), response=HANDOFF),
    Route("POST", "/handoffs/{id}/messages", "sendHandoffMessage",
          "A person's reply into the customer's session",
          handoffs.send_handoff_message, "HandoffService.SendHandoffMessage",
          body=obj({"content": CONTENT}, required=["content"]), response=AUDIT_EVENT,
          status=201),
    Route("POST", "/handoffs/{id}/close", "closeHandoff", "Close the handoff",
          handoffs.close_handoff, "HandoffService.CloseHandoff", response=HANDOFF),
]
# fmt: on
