"""The words a message is read by, one table per language: what each intent sounds like
(with example lines it must be read as), mood, questions, the details a customer names,
and the cues around order numbers, postcodes and phone numbers.

Data only: intents.py, slots.py and phone_numbers.py compile it. A table holds one
language's words and nothing of another's; which tables an agent reads is `understood`
below. Intent patterns are regular expressions written in lower case (they are matched
against lower-cased text), keyed by the intent's value, and checked in the intents'
order of precedence (intents.Intent), so a table says what the words are, never which
intent wins. Another language is another table, with its example lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .wording import ENGLISH, SPANISH, primary_language


@dataclass(frozen=True)
class LanguageWords:
    # Intent value → patterns, and → lines of this language that must be read as it (and
    # as no intent before it): tests/engine/test_languages.py holds every table to them.
    intents: Mapping[str, tuple[str, ...]]
    examples: Mapping[str, tuple[str, ...]]
    # "what about the rest of it?": an order question, answered with the part not shipped.
    the_rest: tuple[str, ...]
    # Said just after the order number was asked for: there is none to give.
    no_number_when_asked: tuple[str, ...]
    negative: tuple[str, ...]  # angry words
    injection: tuple[str, ...]  # attempts to talk the agent out of its rules
    question: tuple[str, ...]
    # What a cancel-or-change asks for: return | cancel | address | faster.
    changes: Mapping[str, tuple[str, ...]]
    # "I don't remember which email I used": the words that say a detail is not at hand,
    # and the words naming each detail (email | phone | postcode).
    not_at_hand: tuple[str, ...]
    factor_names: Mapping[str, tuple[str, ...]]
    name_given: tuple[str, ...]  # "my name is …"
    # Slots. Matched ignoring case.
    order_cues: tuple[str, ...]  # before an order number: "order number", "pedido"
    number_cues: tuple[str, ...]  # "number is": an order number, or a phone number after it
    tracking_cues: tuple[str, ...]  # before a tracking number
    postcode_names: tuple[str, ...]  # "zip code", "código postal"
    postcode_joiners: tuple[str, ...]  # between the name and the value: "is", "es"
    list_joiners: tuple[str, ...]  # between orders listed together: "and", "y"
    # Words right after a number that make it no order: money, a quantity, a time span
    # ("160 dollars", "3 items", "2 days"). Currency signs are the same in every language.
    not_order_units: tuple[str, ...] = ()
    # The cue words a slip of the keyboard is read back to ("somneone" → "someone"): see
    # typos.py. Words a pattern of this table is built on, five letters or more.
    typo_words: tuple[str, ...] = ()


# Who a customer asks for when they want a person.
_EN_STAFF = (
    r"(?:human(?:\s+being)?|person|agent|representative|rep|operator|supervisor|manager|staff"
    r"|customer\s+(?:service|support|care))"
)
_EN_ARTICLE = r"(?:(?:a|an|the|your|some|real|live|actual)\s+)*"

ENGLISH_WORDS = LanguageWords(
    intents={
        "about_agent": (
            r"\bare\s+you\s+(?:an?\s+)?(?:real|human|person|bot|robot|ai|machine|computer"
            r"|automated|live)\b",
            r"\bis\s+this\s+(?:an?\s+)?(?:real\s+person|human|bot|robot|automated|ai)\b",
            r"\bwho\s+(?:are\s+you|am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with))\b",
            r"\bwhat(?:'s|\s+is)\s+your\s+name\b",
        ),
        # Only words that ask: "the agent said it shipped" names one and asks for nothing.
        "human": (
            # Any form of a way to reach someone, then who: "talking with someone", "need to
            # contact somebody", "chat with an assistant", "get in touch with customer care".
            r"\b(?:speak|spoke|talk|chat|contact|reach|call|communicat|get\s+in\s+touch"
            r"|get\s+through|connect|message|write)\w*\s+(?:(?:to|with|in\s+touch\s+with"
            r"|through\s+to)\s+)?(?:\w+\s+){0,2}?(?:human|person|people|someone|somebody"
            r"|some\s+one|agent|assistant|representative|rep|operator|staff|supervisor|manager"
            r"|employee|customer\s+(?:service|support|care)|support\s+team)\b",
            r"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|your\s+|some\s*)?"
            r"(?:human|person|one|body|agent|representative|rep|manager|operator|real|live|staff"
            r"|team|someone|somebody|supervisor|customer\s+(?:service|support|care))",
            r"\b(?:want|need|request|prefer|demand|(?:get|give|find)\s+me"
            r"|(?:can|could|may)\s+i\s+(?:have|get)|(?:i'?d|i\s+would)\s+like)\s+"
            rf"{_EN_ARTICLE}{_EN_STAFF}\b",
            r"\b(?:connect|transfer|put|pass|escalate|forward|send)\s+(?:(?:me|us|this|it)\s+)?"
            rf"(?:(?:through|over|on)\s+)?(?:to|with)\s+{_EN_ARTICLE}"
            rf"(?:{_EN_STAFF}|someone|somebody)\b",
            rf"\bis\s+there\s+(?:a|an|any)\s+{_EN_ARTICLE}{_EN_STAFF}\b",
            # "can a person help?": someone asked for, where "can the agent …" may mean this one.
            rf"\b(?:can|could|may|would|will)\s+(?:a|an|some|any)\s+{_EN_ARTICLE}{_EN_STAFF}\b",
            r"\breal\s+person\b",
            # The whole message names who they want: "agent", "a person, please".
            rf"^\W*{_EN_ARTICLE}{_EN_STAFF}(?:[\s,]+(?:please|pls|now|asap))*\W*$",
        ),
        "damaged": (
            r"\b(?:damaged|broken|broke|smashed|cracked|crushed|torn|ripped|defective|dented"
            r"|shattered|leaking|faulty)\b",
        ),
        "wrong_item": (
            r"\bwrong\s+(?:item|size|colou?r|product|thing|one|parcel|package|order|stuff)\b",
            r"\bnot\s+what\s+i\s+ordered\b",
            r"\b(?:sent|got|received)\s+(?:me\s+)?(?:the\s+)?wrong\b",
            r"\bincorrect\s+(?:item|product|size)\b",
            r"\bmissing\s+(?:an?\s+)?(?:item|piece|part)s?\b",
            r"\b(?:got|received|sent\s+me)\b[^.?!]{0,30}\binstead\s+of\b",
        ),
        "failed_delivery": (
            r"\btried\s+to\s+deliver\b",
            r"\b(?:missed|failed|unsuccessful)\s+(?:the\s+|a\s+|my\s+)?deliver(?:y|ies)\b",
            r"\b(?:delivery|another|second|new)\s+attempt\b",
            r"\battempted\s+(?:a\s+|the\s+)?delivery\b",
            r"\b(?:notice|missed\s+delivery)\s+card\b",
            r"\bre-?deliver(?:y|ed)?\b",
            r"\bdeliver\s+(?:it\s+|them\s+)?again\b",
            # "can they try again?": the carrier, not "let me try again" (a retyped detail).
            r"\b(?:they|carrier|courier|driver|postman|mailman)\b[^.?!]{0,20}"
            r"\b(?:try|attempt|come)\s+(?:it\s+)?again\b",
            r"\breschedule\b[^.?!]{0,20}\bdeliver",
            # "they never rang the bell": an attempt the customer disputes
            r"\b(?:never|didn'?t|did\s+not)\s+(?:even\s+)?(?:ring|rang|knock|knocked|buzz|buzzed)\b",
        ),
        "no_order_number": (
            r"\b(?:don'?t|do\s+not|doesn'?t|can'?t|cannot|couldn'?t|never|haven'?t|didn'?t"
            r"|no)\b[^.?!]{0,30}\b(?:order\s+number|confirmation(?:\s+email)?|order\s+email"
            r"|receipt)\b",
            r"\b(?:lost|forgot|forgotten|misplaced|deleted)\b[^.?!]{0,20}"
            r"\b(?:order\s+number|confirmation|receipt)\b",
            r"\b(?:don'?t|do\s+not|can'?t|cannot|couldn'?t)\s+(?:have|know|find|remember|see)"
            r"\s+(?:the|my|its|it's|that|an?)\s+number\b",
        ),
        "not_received": (
            r"\b(?:never|not|n't|havent|hasnt|didnt)\s+(?:yet\s+)?(?:arrived|received|got|gotten"
            r"|come|came|(?:shown|showed|show|turned|turn)\s+up|delivered|here)\b",
            r"\b(?:have|has|did|does)\s*n[o']?t\s+(?:yet\s+)?(?:arrive|arrived|receive|received"
            r"|get|got|come|show\s+up)\b",
            r"\b(?:lost|stolen|missing)\b",
            r"\bsays?\s+(?:it\s+was\s+|it's\s+|its\s+)?delivered\s+but\b",
        ),
        "complaint": (
            r"\bcomplain\w*",
            r"\b(?:claim|clain|reclama[ti]\w*|grievance)s?\b",
            r"\b(?:dissatisf\w*|unhappy|unsatisf\w*)\b",
            r"\bnot\s+(?:happy|satisfied|pleased)\s+with\b",
            r"\b(?:poor|bad|awful|terrible|horrible|worst)\s+(?:\w+\s+)?(?:service|experience"
            r"|treatment|support)\b",
            r"\bexperience\s+with\s+(?:your|ur|the)\b",
        ),
        # Accounts, passwords, newsletters: not orders. The agent says what it can do.
        "account": (
            r"\b(?:account|acct|accnt|profile|newsletter|password|passwd|pwd|pin\s+code"
            r"|passcode|username|user\s*name|login|log-?in)s?\b",
            r"\b(?:un)?subscri\w*",
            r"\b(?:sign|signing|log|logging)\s*(?:up|in|on)\b",
            r"\b(?:user|access|my)\s+key\b",
            r"\bpin\b",
            r"\bregist(?:er|ration|ering)\b",
        ),
        "cancel_or_change": (
            # English word forms only: "cancelar" is another language's.
            r"\b(?:cancel(?:s|l?ed|l?ing|l?ations?)?|modif(?:y|ies|ied|ying|ications?)"
            r"|exchang\w*|return\w*)\b",
            r"\bno\s+longer\s+(?:afford|want|need)\b",
            r"\b(?:don'?t|do\s+not)\s+(?:want|need)\s+(?:the\s+|my\s+|this\s+|that\s+)?"
            r"(?:order|purchase)\b",
            r"\b(?:can'?t|cannot|unable\s+to)\s+(?:pay|afford)\b",
            # "can I add them?": items added or taken out.
            r"\b(?:add|remove|swap|replace)\s+(?:them|it|one|more|some|another)\b",
            # Money back, in any word form.
            r"\b(?:refund\w*|reimburs\w*|rebat\w*|compensat\w*|restitution)",
            r"\bmoney\s+back\b",
            # An item added, removed or swapped: a change to the order.
            r"\b(?:add|remov|delet|swap|switch|replac|edit|chang|updat|alter|correct)\w*\b"
            r"[^.?!]{0,40}\b(?:items?|articles?|products?|orders?|purchases?|something|address"
            r"|size|colou?r|shipping|delivery|quantity)\b",
            r"\bchange\s+(?:my\s+|the\s+)?(?:order|address|size|colou?r|item|delivery|shipping)",
            r"\b(?:update|edit)\s+(?:my\s+|the\s+)?(?:order|address|shipping)",
            r"\b(?:another|a\s+different|a\s+new|the\s+wrong)\s+address\b",
            r"\b(?:redirect|reroute|re-route)\b",
            # Shipped faster: a change to the order, which a person can make.
            r"\b(?:hurry|speed)\s+(?:it\s+|this\s+|that\s+|things\s+|my\s+order\s+)?up\b",
            r"\bexpedite\b",
            r"\b(?:faster|express|quicker|upgrade\s+(?:the\s+|my\s+)?)\s*(?:shipping|delivery)\b",
            # Collected rather than delivered: "can I pick it up instead?"
            r"\b(?:pick\s*(?:it\s+|them\s+)?up|pickup|collect(?:\s+it)?)\s+instead\b",
        ),
        "delivery_date": (
            r"\bwhen\b.*\b(?:arrive|arriving|come|coming|get\s+here|be\s+delivered|deliver"
            r"|delivered|receive|expect|ship|here)\b",
            r"\b(?:delivery|arrival)\s+(?:date|time|day)\b",
            r"\beta\b",
            r"\b(?:coming|arriving|arrive|get\s+here|be\s+here|delivered)\s+soon\b",
            r"\bwhat\s+(?:day|time|date)\b",
            r"\bwill\s+it\s+(?:come|arrive|get\s+here|be\s+(?:here|delivered))\b",
            r"\bhow\s+long\b",
            r"\bexpected\b",
            r"\b(?:before|by)\s+(?:the\s+)?(?:weekend|monday|tuesday|wednesday|thursday|friday"
            r"|saturday|sunday|christmas|tomorrow|tonight|next\s+week|end\s+of\s+the\s+week)\b",
        ),
        "tracking": (
            r"\btrack(?:ing)?\b",
            r"\b(?:carrier|courier|which\s+shipper)\b",
            r"\b(?:the|a|that)\s+(?:link|url)\b",
            r"\bwho\s+(?:is|will\s+be)\s+deliver",
        ),
        "order_status": (
            r"\bwhere(?:'s|\s+is|\s+are)?\b",
            r"\bstatus\b",
            r"\b(?:order|package|parcel|shipment|delivery|purchase)\b",
            r"\b(?:shipped|shipping|dispatched)\b",
            r"\bcheck\b",
            r"\b(?:ship|sent|send|mailed|posted|dispatch|dispatched|delivered|delivering)\b",
            r"\bon\s+(?:the|its)\s+way\b",
            r"\b(?:news|happening|happened|going\s+on)\b",
            r"\b(?:warehouse|processing|ready|driver|pick\s*(?:it\s+)?up|pickup|collect)\b",
            r"\bhere\s+yet\b",
            r"\b(?:latest|last|any|an)\s+updates?\b",
            r"\btaking\s+(?:so|too|this|that)\s+long\b",
            r"\bhow\s+many\s+(?:boxes|parcels|packages|shipments|pieces|deliveries)\b",
            r"\bstill\s+waiting\b",
        ),
        "deny": (
            r"^\s*(?:no|nope|nah|not\s+now|no\s+thanks?|never\s*mind|forget\s+(?:it|about\s+it)"
            r"|no\s+worries|(?:it\s+)?doesn'?t\s+matter)\b",
        ),
        "goodbye": (
            r"\b(?:bye|goodbye|good\s+bye|see\s+you|that'?s\s+all|that\s+is\s+all"
            r"|nothing\s+else|have\s+a\s+(?:good|nice|great))\b",
        ),
        "affirm": (
            r"^\s*(?:yes|yeah|yep|yup|sure|please(?:\s+do)?|go\s+ahead|please\s+transfer"
            r"|that\s+would\s+be\s+(?:great|good))\b",
            # "ok thanks" closes a topic, where "yes thanks" accepts; neither it nor an
            # acknowledgement ("great", "got it": the dialogue goes on) with thanks accepts
            # an offer of a person.
            r"^\s*(?:ok(?:ay)?|alright|all\s+right|great|perfect|cool|awesome|excellent"
            r"|wonderful|got\s+it|good|nice|fine|sounds\s+good|understood|i\s+see)\b"
            r"(?!\W*(?:thanks|thank\s+you|thx|cheers))",
        ),
        "thanks": (r"\b(?:thanks|thank\s+you|thx|cheers|appreciate\s+it)\b",),
        "greeting": (
            r"\b(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening))\b",
            # "I need help": not understood as anything more, it still opens the dialogue.
            r"\b(?:help|assist|assistance)\b",
            r"\b(?:anyone|anybody|someone|somebody)\s+(?:there|here)\b",
            r"\bare\s+you\s+(?:there|still\s+there)\b",
        ),
    },
    examples={
        "about_agent": (
            "are you a bot?",
            "is this a real person?",
            "who am I talking to",
            "what's your name?",
        ),
        "human": (
            "can I speak to a person please",
            "representative",
            "get me an agent",
            "I want a real person",
            "transfer me to a human",
            "I need to contact somebody",
            "can I chat with an assistant",
            "a person, please",
            "put me through to your supervisor",
            "customer service please",
            "I don't know it, can a person help?",
        ),
        "damaged": (
            "the box came smashed and the bottle is broken",
            "it arrived damaged",
            "the screen is cracked",
            "the bottle was leaking",
        ),
        "wrong_item": (
            "you sent me the wrong size",
            "this is not what I ordered",
            "I got a blue one instead of the red",
            "there's a missing piece",
        ),
        "failed_delivery": (
            "they said they tried to deliver but I was home",
            "can they try again?",
            "there's a notice card in my mailbox",
            "the driver didn't even knock",
        ),
        "no_order_number": (
            "I don't know my order number",
            "I never got a confirmation email",
            "I lost the receipt",
        ),
        "not_received": (
            "my package never arrived",
            "it says delivered but I don't have it",
            "I haven't received it yet",
            "it never showed up",
        ),
        "complaint": (
            "I want to file a complaint",
            "how do I lodge a claim against your company?",
            "I'm not happy with the service",
        ),
        "account": (
            "I forgot my password",
            "unsubscribe me from the newsletter",
            "how do I create an account?",
        ),
        "cancel_or_change": (
            "I want to cancel my order",
            "cancelling order #2003",
            "I want a refund of 160 dollars",
            "I'd like to add an item to my order",
            "can I change my address",
            "can I return it?",
            "can you hurry it up?",
        ),
        "delivery_date": (
            "when will it arrive?",
            "is it coming soon?",
            "will I have it by friday",
            "what's the delivery date?",
        ),
        "tracking": (
            "can I get the tracking number",
            "which carrier is it with?",
            "can you give me the link?",
            "who is delivering it?",
        ),
        "order_status": (
            "where is my order?",
            "Where is my rota planner, order #1001?",
            "the agent said it shipped",
            "customer service told me it was dispatched",
            "has it left the warehouse?",
            "any news?",
        ),
        "deny": ("no thanks", "nevermind", "forget it", "nope"),
        "goodbye": ("that's all, bye", "goodbye", "have a nice day"),
        "affirm": ("yes please", "sure", "go ahead", "great"),
        "thanks": ("thank you so much", "ok thanks", "cheers"),
        "greeting": ("hello", "hi there", "I need help", "anyone there?"),
        "out_of_scope": (
            "do you sell gift cards?",
            "what's the weather like",
            "let me try again",
            "the rota is on the fridge",
        ),
    },
    the_rest=(
        r"\brest\s+of\s+(?:it|them|my|the|this|that)\b",
        r"\b(?:the\s+)?rest\s+(?:ship|shipped|shipping|come|coming|arrive)",
        r"\bremaining\s+(?:items?|parts?|parcels?|packages?|stuff|things)\b",
    ),
    no_number_when_asked=(
        r"^\W*(?:i\s+)?(?:don'?t|do\s+not|can'?t|cannot|couldn'?t)\s+(?:have|know|find|remember"
        r"|see)(?:\s+(?:it|that|one|them))?\W*$",
        r"^\W*(?:no\s+idea|not\s+sure|i'?m\s+not\s+sure|no\s+clue|dunno)\W*$",
    ),
    negative=(
        r"\b(?:ridiculous|worst|terrible|awful|horrible|useless|pathetic|unacceptable|disgusting"
        r"|furious|angry|outraged|livid|fed\s+up|sick\s+of|hate|scam|rip\s*-?off|incompetent"
        r"|joke|nonsense|rubbish|garbage|wtf|damn|hell|crap|stupid|idiots?|shameful"
        r"|disappointed|frustrat\w*|annoy\w*|appalling|fraud)\b",
        r"!{2,}",
    ),
    injection=(
        r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:rules?|instructions?|policy"
        r"|policies|guardrails?|verification|prompt)\b",
        r"\b(?:you\s+are|i\s+am|i'm|we\s+are|user\s+is|customer\s+is)\s+(?:now\s+|already\s+)?"
        r"(?:verified|authenticated|authori[sz]ed|an?\s+admin)",
        r"\bsystem\s*(?:prompt|message|:)",
        r"\b(?:developer|admin|god|debug)\s+mode\b",
        r"\bjailbreak\b",
        r"\bpretend\s+(?:to\s+be|you)\b",
    ),
    question=(
        r"\?\s*$",
        r"^\s*(?:what|what's|whats|who|how|why|which|where|when|do|does|did|can|could|is|are"
        r"|will|would|should|may)\b",
    ),
    changes={
        "return": (r"\b(?:return|returns|returning|exchange|send\s+(?:it|them)\s+back)\b",),
        "cancel": (
            r"\bcancel",
            r"\bno\s+longer\s+(?:afford|want|need)\b",
            r"\b(?:don'?t|do\s+not)\s+(?:want|need)\s+(?:the\s+|my\s+|this\s+|that\s+)?"
            r"(?:order|purchase)\b",
            r"\b(?:can'?t|cannot|unable\s+to)\s+(?:pay|afford)\b",
        ),
        "address": (
            r"\baddress\b",
            r"\b(?:redirect|reroute|re-route)\b",
            r"\bsend\s+it\s+to\b",
            r"\bpick\s*(?:it\s+|them\s+)?up\b",
        ),
        "faster": (r"\b(?:hurry|speed|expedite|faster|express|quicker|upgrade)\b",),
        "refund": (
            r"\b(?:refund\w*|reimburs\w*|rebat\w*|compensat\w*|restitution)",
            r"\bmoney\s+back\b",
        ),
        "item": (
            r"\b(?:add|remov|delet|swap|switch|replac|edit|chang|modif)\w*\b[^.?!]{0,30}"
            r"\b(?:items?|articles?|products?|something|size|colou?r|quantity)\b",
            r"\b(?:add|remove|swap|replace)\s+(?:them|it|one|more|some|another)\b",
        ),
    },
    not_at_hand=(
        r"don'?t",
        r"do\s+not",
        r"can'?t",
        r"cannot",
        r"not\s+sure",
        r"no\s+longer",
        r"forgot",
        r"forget",
    ),
    factor_names={
        "email": (r"e-?mail",),
        "phone": (r"phone", r"number"),
        "postcode": (r"zip", r"post\s*code", r"postal\s+code", r"address"),
    },
    name_given=(r"\b(?:my\s+name\s+is|my\s+name's|name\s*:|under\s+the\s+name|it'?s\s+under)\b",),
    order_cues=(r"\border\s*(?:number|num|no\.?|#)?\s*(?:is\s+)?[:#]?\s*",),
    number_cues=(r"\bnumber\s+(?:is\s+)?",),
    tracking_cues=(
        r"\btrack\w*\s+(?:number|no\.?|id|code)?s?\s*(?:is|are|:)?\s*(?:[a-z0-9]+\s+and\s+)?",
    ),
    postcode_names=(r"zip\s*code", r"postal\s*code", r"post\s*code", r"postcode", r"zip"),
    postcode_joiners=(r"is", r":"),
    list_joiners=(r"\band", r"\bor"),
    typo_words=(
        "someone",
        "somebody",
        "person",
        "human",
        "assistant",
        "representative",
        "operator",
        "contact",
        "complaint",
        "complain",
        "claim",
        "reclamation",
        "cancel",
        "cancelling",
        "cancellation",
        "modify",
        "remove",
        "replace",
        "refund",
        "refunds",
        "reimburse",
        "reimbursement",
        "compensation",
        "rebate",
        "account",
        "password",
        "newsletter",
        "subscribe",
        "unsubscribe",
        "tracking",
        "delivery",
    ),
    not_order_units=(
        r"(?:dollars?|bucks|euros?|pounds?|quid|cents?|usd|eur|gbp|cad|aud|items?|pieces?"
        r"|units?|pcs|articles?|products?|days?|weeks?|months?|years?|hours?|hrs|minutes?"
        r"|mins?|am|pm|o'?clock|percent|kg|lbs?)\b",
    ),
)


_ES_STAFF = (
    r"(?:persona(?:\s+real)?|humano|humana|agente|representante|operador|operadora|encargad[oa]"
    r"|responsable|atenci[oó]n\s+al\s+cliente)"
)
_ES_ARTICLE = r"(?:(?:una|un|el|la|alg[uú]n|alguna)\s+)?"

SPANISH_WORDS = LanguageWords(
    intents={
        "about_agent": (
            r"\beres\s+(?:un\s+|una\s+)?(?:robot|bot|humano|humana|persona|m[aá]quina|ia)\b",
            r"\bcon\s+qui[eé]n\s+(?:hablo|estoy\s+hablando)\b",
            r"\bc[oó]mo\s+te\s+llamas\b",
        ),
        # Only words that ask: "un agente me dijo que …" names one and asks for nothing.
        "human": (
            r"\bhablar\s+con\s+(?:una\s+|un\s+|el\s+|la\s+|alg[uú]n\s+)?(?:persona|humano|agente"
            r"|representante|operador|operadora|encargado|alguien|responsable)",
            r"\b(?:quiero|quisiera|necesito|prefiero|p[aá]same|p[aá]seme|ponme|p[oó]ngame"
            r"|comun[ií]ca(?:me)?|comun[ií]queme|transfi[eé]re(?:me)?|me\s+pasas|me\s+pones)\s+"
            rf"(?:con\s+)?{_ES_ARTICLE}{_ES_STAFF}\b",
            # The whole message names who they want: "una persona, por favor".
            rf"^\W*{_ES_ARTICLE}{_ES_STAFF}(?:[\s,]+(?:por\s+favor|ya|ahora))*\W*$",
        ),
        "damaged": (
            r"\b(?:roto|rota|rotos|rotas|da[nñ]ad[oa]s?|estropead[oa]s?|defectuos[oa]s?"
            r"|abollad[oa]s?|aplastad[oa]s?|rasgad[oa]s?)\b",
        ),
        "wrong_item": (
            r"\b(?:equivocad[oa]s?|incorrect[oa]s?)\b",
            r"\bno\s+es\s+lo\s+que\s+ped[ií]\b",
            r"\bme\s+(?:mandaron|enviaron|lleg[oó])\s+otr[oa]\b",
        ),
        "failed_delivery": (
            r"\bintent(?:aron|[oó])\s+(?:entregar\w*|la\s+entrega)\b",
            r"\bno\s+(?:estaba|estuve|hab[ií]a\s+nadie)\s+en\s+casa\b",
            r"\b(?:otra|nueva)\s+entrega\b",
            r"\bvolver\s+a\s+(?:entregar|intentar(?:lo)?)\b",
            r"\baviso\s+de\s+(?:entrega|llegada|paso)\b",
            r"\bno\s+(?:llamaron|tocaron|picaron)\b",
        ),
        "no_order_number": (
            r"\bno\s+(?:tengo|s[eé]|encuentro|recuerdo|me\s+acuerdo\s+de)\s+(?:el\s+|mi\s+)?n[uú]mero\b",
        ),
        "not_received": (
            r"\bno\s+(?:me\s+)?(?:ha\s+|han\s+)?(?:llegado|lleg[oó]|recib[ií]do|recib[ií])\b",
            r"\bnunca\s+(?:me\s+)?(?:lleg[oó]|recib[ií])\b",
            r"\b(?:perdid[oa]|extraviad[oa]|robad[oa])\b",
            r"\bdice\s+(?:que\s+)?(?:est[aá]\s+|fue\s+)?entregad[oa]\s+pero\b",
        ),
        "complaint": (
            r"\b(?:queja|quejas|quejarme|reclamaci[oó]n|reclamaciones|reclamar|reclamo)\b",
            r"\b(?:insatisfech[oa]|descontent[oa])\b",
            r"\bno\s+estoy\s+(?:content[oa]|satisfech[oa])\b",
        ),
        "account": (
            r"\b(?:cuenta|contrase[nñ]a|clave|bolet[ií]n|newsletter|usuario)\b",
            r"\b(?:suscrib|desuscrib|darme\s+de\s+(?:alta|baja)|iniciar\s+sesi[oó]n)\w*",
        ),
        "cancel_or_change": (
            r"\b(?:cancelar|cancelaci[oó]n|anular|devolver|devoluci[oó]n|cambiar|modificar)\b",
            r"\botra\s+direcci[oó]n\b",
        ),
        "delivery_date": (
            r"\bcu[aá]ndo\b",
            r"\bfecha\s+de\s+(?:entrega|llegada)\b",
            r"\bcu[aá]nto\s+(?:tarda|falta|queda|tiempo)\b",
        ),
        "tracking": (
            r"\b(?:seguimiento|rastreo|rastrear|transportista|mensajer[ií]a|paqueter[ií]a|enlace)\b",
        ),
        "order_status": (
            r"\bd[oó]nde\b",
            r"\b(?:estado|pedido|paquete|env[ií]o|compra|orden)\b",
            r"\b(?:enviado|enviaron|mandaron|entregado|recoger)\b",
            r"\b(?:el\s+)?resto\b",
            r"\b(?:qu[eé]\s+(?:pas[oó]|ha\s+pasado)|novedad(?:es)?|c[oó]mo\s+va)\b",
        ),
        "deny": (r"^\s*(?:no\s+gracias|nada|d[eé]jalo|olv[ií]dalo|no\s+importa|da\s+igual)\b",),
        "goodbye": (
            r"\b(?:adi[oó]s|hasta\s+(?:luego|pronto)|chao|chau|eso\s+es\s+todo|nada\s+m[aá]s)\b",
        ),
        "affirm": (
            r"^\s*(?:s[ií]|vale|claro|de\s+acuerdo|por\s+favor|perfecto|genial|estupendo)\b"
            r"(?!\W*gracias)",
        ),
        "thanks": (r"\b(?:gracias|te\s+lo\s+agradezco)\b",),
        "greeting": (
            r"\b(?:hola|buenas|buenos\s+d[ií]as|buenas\s+tardes|buenas\s+noches|ayuda|ay[uú]dame)\b",
        ),
    },
    examples={
        "about_agent": ("¿eres un robot?", "¿con quién hablo?", "¿cómo te llamas?"),
        "human": (
            "quiero hablar con una persona",
            "pásame con un agente",
            "necesito un humano",
            "atención al cliente, por favor",
        ),
        "damaged": ("llegó roto", "la caja llegó aplastada", "el producto es defectuoso"),
        "wrong_item": (
            "me enviaron otro modelo, está equivocado",
            "no es lo que pedí",
            "la talla es incorrecta",
        ),
        "failed_delivery": (
            "intentaron entregarlo pero no estaba en casa",
            "¿pueden volver a intentarlo?",
            "no llamaron al timbre",
        ),
        "no_order_number": (
            "no tengo el número de pedido",
            "no encuentro mi número",
            "no recuerdo el número",
        ),
        "not_received": (
            "no me ha llegado el paquete",
            "nunca me llegó",
            "dice que está entregado pero no lo tengo",
        ),
        "complaint": (
            "quiero poner una queja",
            "no estoy contento con el servicio",
            "¿dónde presento una reclamación?",
        ),
        "account": (
            "olvidé mi contraseña",
            "quiero darme de baja del boletín",
            "¿cómo creo una cuenta?",
        ),
        "cancel_or_change": (
            "quiero cancelar el pedido",
            "¿puedo cambiar la dirección?",
            "quiero hacer una devolución",
        ),
        "delivery_date": ("¿cuándo llega?", "¿cuál es la fecha de entrega?", "¿cuánto tarda?"),
        "tracking": (
            "¿cuál es el número de seguimiento?",
            "¿qué transportista lo lleva?",
            "mándame el enlace",
        ),
        "order_status": (
            "¿dónde está mi pedido?",
            "¿qué pasó?",
            "¿alguna novedad?",
            "un agente me dijo que el pedido ya estaba enviado",
        ),
        "deny": ("no gracias", "olvídalo", "da igual"),
        "goodbye": ("adiós", "hasta luego", "eso es todo"),
        "affirm": ("sí, por favor", "vale", "claro"),
        "thanks": ("muchas gracias", "gracias", "te lo agradezco"),
        "greeting": ("hola", "buenos días", "necesito ayuda"),
        "out_of_scope": (
            "¿venden tarjetas regalo?",
            "¿qué tiempo hace?",
            "¿tienen tienda física en Madrid?",
        ),
    },
    the_rest=(r"\bel\s+resto\b",),
    no_number_when_asked=(),
    negative=(
        r"\b(?:rid[ií]culo|p[eé]simo|horrible|in[uú]til|inaceptable|hart[oa]|estafa|verg[uü]enza"
        r"|enfadad[oa]|furios[oa]|basura|indignante|una\s+broma)\b",
        r"!{2,}",
    ),
    injection=(
        r"\b(?:ignora|olvida|salta(?:te)?)\b.{0,40}\b(?:reglas|instrucciones|verificaci[oó]n)\b",
        r"\b(?:estoy|est[aá]s|ya\s+estoy)\s+verificad[oa]\b",
        r"\bmodo\s+(?:administrador|desarrollador|admin)\b",
    ),
    question=(
        r"\?\s*$",
        r"^\s*¿",
        r"^\s*(?:qu[eé]|qui[eé]n|c[oó]mo|por\s+qu[eé]|cu[aá]l|d[oó]nde|cu[aá]ndo|puedes|puedo|tienen"
        r"|hay)\b",
    ),
    changes={
        "return": (r"\b(?:devolver|devoluci[oó]n|cambiarlo|cambiarla)\b",),
        "cancel": (r"\bcancel(?:ar|aci[oó]n)", r"\banular\b"),
        "address": (r"\bdirecci[oó]n\b", r"\brecoger(?:lo|la)?\b"),
        "faster": (r"\b(?:urgente|r[aá]pido|antes)\b",),
    },
    not_at_hand=(r"no\s+(?:s[eé]|recuerdo|tengo|me\s+acuerdo)", r"olvid[eé]"),
    factor_names={
        "email": (r"correo",),
        "phone": (r"tel[eé]fono",),
        "postcode": (r"c[oó]digo\s+postal", r"direcci[oó]n"),
    },
    name_given=(r"\b(?:me\s+llamo|mi\s+nombre\s+es|a\s+nombre\s+de)\b",),
    order_cues=(
        # "pedido 2001", "el pedido es el 2001", "número de pedido 2001"
        r"\b(?:n[uú]mero\s+de\s+)?pedido\s*(?:n[uú]mero|n[º°o]\.?|#)?\s*(?:es\s+)?(?:el\s+)?[:#]?\s*",
    ),
    number_cues=(r"\bn[uú]mero\s+(?:es\s+)?(?:el\s+)?",),
    tracking_cues=(r"\bseguimiento\s*(?:es\s+)?(?:el\s+)?[:#]?\s*",),
    postcode_names=(r"c[oó]digo\s+postal", r"cp"),
    postcode_joiners=(r"es", r":"),
    list_joiners=(r"\by", r"\bo"),
    typo_words=(
        "persona",
        "humano",
        "agente",
        "queja",
        "reclamación",
        "cancelar",
        "reembolso",
        "devolución",
        "cuenta",
        "contraseña",
        "boletín",
        "seguimiento",
    ),
    not_order_units=(
        r"(?:d[oó]lares|euros?|pesos|libras|c[eé]ntimos|art[ií]culos?|unidades|piezas"
        r"|productos?|d[ií]as?|semanas?|mes(?:es)?|a[nñ]os?|horas?|minutos?|por\s+ciento"
        r"|kg|kilos?)\b",
    ),
)

WORDS: Mapping[str, LanguageWords] = {ENGLISH: ENGLISH_WORDS, SPANISH: SPANISH_WORDS}

# The tables an agent reads, by the language it speaks. A Spanish-speaking agent also reads
# English: its shoppers mix English words into Spanish ("el tracking", "a person please").
# An English-speaking agent reads English only, so a Spanish word that looks like an English
# one ("rota", "agente") never changes what an English sentence means. A language without
# a table of its own is read as English, as it is answered in English.
_UNDERSTOOD = {ENGLISH: (ENGLISH,), SPANISH: (SPANISH, ENGLISH)}


def understood(language: str) -> tuple[str, ...]:
    """The languages an agent speaking `language` (a BCP 47 tag, "es-MX", or "es") reads,
    its own first."""
    return _UNDERSTOOD.get(primary_language(language), _UNDERSTOOD[ENGLISH])
