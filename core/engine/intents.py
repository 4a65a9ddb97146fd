"""What the customer wants, how they feel, and whether they are trying to talk the agent
out of its rules: keyword patterns, checked in a fixed order of precedence, so the same
words always give the same answer.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    ABOUT_AGENT = "about_agent"  # "are you a bot?", "what's your name?"
    HUMAN = "human"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    FAILED_DELIVERY = "failed_delivery"  # "they tried to deliver but I was home"
    NO_ORDER_NUMBER = "no_order_number"  # "I don't know my order number"
    NOT_RECEIVED = "not_received"
    CANCEL_OR_CHANGE = "cancel_or_change"
    DELIVERY_DATE = "delivery_date"
    TRACKING = "tracking"
    ORDER_STATUS = "order_status"
    DENY = "deny"
    GOODBYE = "goodbye"
    AFFIRM = "affirm"
    THANKS = "thanks"
    GREETING = "greeting"
    OUT_OF_SCOPE = "out_of_scope"


# Intents about one order: they need an order number and, before any detail, verification.
ORDER_INTENTS = frozenset(
    {
        Intent.DAMAGED,
        Intent.WRONG_ITEM,
        Intent.FAILED_DELIVERY,
        Intent.NOT_RECEIVED,
        Intent.DELIVERY_DATE,
        Intent.TRACKING,
        Intent.ORDER_STATUS,
    }
)


# "what about the rest of it?" after a partly shipped order: an order question, answered
# with the part not shipped.
_THE_REST = (
    r"\brest\s+of\s+(?:it|them|my|the|this|that)\b",
    r"\b(?:the\s+)?rest\s+(?:ship|shipped|shipping|come|coming|arrive)",
    r"\bremaining\s+(?:items?|parts?|parcels?|packages?|stuff|things)\b",
    r"\bel\s+resto\b",
)


def _any(*patterns: str) -> re.Pattern[str]:
    """Alternatives written in lower case, matched against lower-cased text: the same
    answers as re.IGNORECASE, for a third of the time (it folds case at every comparison
    of every alternative)."""
    for pattern in patterns:
        if re.search(r"[A-Z]", re.sub(r"\\.", "", pattern)):
            raise ValueError(f"write intent patterns in lower case: {pattern!r}")
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_PATTERNS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        # Before HUMAN: "are you a real person?" deserves an honest answer (and the offer of
        # a person), not a handoff the customer did not ask for.
        Intent.ABOUT_AGENT,
        _any(
            r"\bare\s+you\s+(?:an?\s+)?(?:real|human|person|bot|robot|ai|machine|computer"
            r"|automated|live)\b",
            r"\bis\s+this\s+(?:an?\s+)?(?:real\s+person|human|bot|robot|automated|ai)\b",
            r"\bwho\s+(?:are\s+you|am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with))\b",
            r"\bwhat(?:'s|\s+is)\s+your\s+name\b",
            # Spanish
            r"\beres\s+(?:un\s+|una\s+)?(?:robot|bot|humano|humana|persona|m[aá]quina|ia)\b",
            r"\bcon\s+qui[eé]n\s+(?:hablo|estoy\s+hablando)\b",
            r"\bc[oó]mo\s+te\s+llamas\b",
        ),
    ),
    (
        Intent.HUMAN,
        _any(
            r"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|your\s+|some\s*)?"
            r"(?:human|person|one|body|agent|representative|rep|manager|operator|real|live|staff"
            r"|team|someone|somebody|supervisor)",
            r"\b(?:human|representative|operator|supervisor|real person|agent|manager)\b",
            r"\b(?:a|an|the)\s+(?:person|agent)\b",
            r"\bcustomer\s+(?:service|support|care)\b",
            # Spanish
            r"\bhablar\s+con\s+(?:una\s+|un\s+|el\s+|la\s+|alg[uú]n\s+)?(?:persona|humano|agente"
            r"|representante|operador|operadora|encargado|alguien|responsable)",
            r"\b(?:una\s+persona|un\s+humano|un\s+agente|atenci[oó]n\s+al\s+cliente)\b",
        ),
    ),
    (
        Intent.DAMAGED,
        _any(
            r"\b(?:damaged|broken|broke|smashed|cracked|crushed|torn|ripped|defective|dented"
            r"|shattered|leaking|faulty)\b",
            # Spanish
            r"\b(?:roto|rota|rotos|rotas|da[nñ]ad[oa]s?|estropead[oa]s?|defectuos[oa]s?"
            r"|abollad[oa]s?|aplastad[oa]s?|rasgad[oa]s?)\b",
        ),
    ),
    (
        Intent.WRONG_ITEM,
        _any(
            r"\bwrong\s+(?:item|size|colou?r|product|thing|one|parcel|package|order|stuff)\b",
            r"\bnot\s+what\s+i\s+ordered\b",
            r"\b(?:sent|got|received)\s+(?:me\s+)?(?:the\s+)?wrong\b",
            r"\bincorrect\s+(?:item|product|size)\b",
            r"\bmissing\s+(?:an?\s+)?(?:item|piece|part)s?\b",
            r"\b(?:got|received|sent\s+me)\b[^.?!]{0,30}\binstead\s+of\b",
            # Spanish
            r"\b(?:equivocad[oa]s?|incorrect[oa]s?)\b",
            r"\bno\s+es\s+lo\s+que\s+ped[ií]\b",
            r"\bme\s+(?:mandaron|enviaron|lleg[oó])\s+otr[oa]\b",
        ),
    ),
    (
        # A delivery the carrier attempted and missed, or one the customer wants made again:
        # a person arranges that. Before NOT_RECEIVED ("they tried to deliver but it never
        # came") and CANCEL_OR_CHANGE ("reschedule the delivery").
        Intent.FAILED_DELIVERY,
        _any(
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
            # Spanish
            r"\bintent(?:aron|[oó])\s+(?:entregar\w*|la\s+entrega)\b",
            r"\bno\s+(?:estaba|estuve|hab[ií]a\s+nadie)\s+en\s+casa\b",
            r"\b(?:otra|nueva)\s+entrega\b",
            r"\bvolver\s+a\s+(?:entregar|intentar(?:lo)?)\b",
            r"\baviso\s+de\s+(?:entrega|llegada|paso)\b",
            r"\bno\s+(?:llamaron|tocaron|picaron)\b",
        ),
    ),
    (
        # Before NOT_RECEIVED: "I never got a confirmation email" is about the number.
        Intent.NO_ORDER_NUMBER,
        _any(
            r"\b(?:don'?t|do\s+not|doesn'?t|can'?t|cannot|couldn'?t|never|haven'?t|didn'?t"
            r"|no)\b[^.?!]{0,30}\b(?:order\s+number|confirmation(?:\s+email)?|order\s+email"
            r"|receipt)\b",
            r"\b(?:lost|forgot|forgotten|misplaced|deleted)\b[^.?!]{0,20}"
            r"\b(?:order\s+number|confirmation|receipt)\b",
            r"\b(?:don'?t|do\s+not|can'?t|cannot|couldn'?t)\s+(?:have|know|find|remember|see)"
            r"\s+(?:the|my|its|it's|that|an?)\s+number\b",
            # Spanish
            r"\bno\s+(?:tengo|s[eé]|encuentro|recuerdo|me\s+acuerdo\s+de)\s+(?:el\s+|mi\s+)?n[uú]mero\b",
        ),
    ),
    (
        Intent.NOT_RECEIVED,
        _any(
            r"\b(?:never|not|n't|havent|hasnt|didnt)\s+(?:yet\s+)?(?:arrived|received|got|gotten"
            r"|come|came|(?:shown|showed|show|turned|turn)\s+up|delivered|here)\b",
            r"\b(?:have|has|did|does)\s*n[o']?t\s+(?:yet\s+)?(?:arrive|arrived|receive|received"
            r"|get|got|come|show\s+up)\b",
            r"\b(?:lost|stolen|missing)\b",
            r"\bsays?\s+(?:it\s+was\s+|it's\s+|its\s+)?delivered\s+but\b",
            # Spanish
            r"\bno\s+(?:me\s+)?(?:ha\s+|han\s+)?(?:llegado|lleg[oó]|recib[ií]do|recib[ií])\b",
            r"\bnunca\s+(?:me\s+)?(?:lleg[oó]|recib[ií])\b",
            r"\b(?:perdid[oa]|extraviad[oa]|robad[oa])\b",
            r"\bdice\s+(?:que\s+)?(?:est[aá]\s+|fue\s+)?entregad[oa]\s+pero\b",
        ),
    ),
    (
        Intent.CANCEL_OR_CHANGE,
        _any(
            r"\b(?:cancel|cancell?ation|modify|exchange|return)\b",
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
            # Spanish
            r"\b(?:cancelar|cancelaci[oó]n|anular|devolver|devoluci[oó]n|cambiar|modificar)\b",
            r"\botra\s+direcci[oó]n\b",
        ),
    ),
    (
        Intent.DELIVERY_DATE,
        _any(
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
            # Spanish
            r"\bcu[aá]ndo\b",
            r"\bfecha\s+de\s+(?:entrega|llegada)\b",
            r"\bcu[aá]nto\s+(?:tarda|falta|queda|tiempo)\b",
        ),
    ),
    (
        Intent.TRACKING,
        _any(
            r"\btrack(?:ing)?\b",
            r"\b(?:carrier|courier|which\s+shipper)\b",
            r"\b(?:the|a|that)\s+(?:link|url)\b",
            r"\bwho\s+(?:is|will\s+be)\s+deliver",
            # Spanish
            r"\b(?:seguimiento|rastreo|rastrear|transportista|mensajer[ií]a|paqueter[ií]a|enlace)\b",
        ),
    ),
    (
        Intent.ORDER_STATUS,
        _any(
            r"\bwhere(?:'s|\s+is|\s+are)?\b",
            r"\bstatus\b",
            r"\b(?:order|package|parcel|shipment|delivery|purchase)\b",
            r"\b(?:shipped|shipping|dispatched|refund(?:ed)?)\b",
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
            *_THE_REST,
            # Spanish
            r"\bd[oó]nde\b",
            r"\b(?:estado|pedido|paquete|env[ií]o|compra|orden)\b",
            r"\b(?:enviado|enviaron|mandaron|entregado|recoger)\b",
            r"\b(?:el\s+)?resto\b",
            r"\b(?:qu[eé]\s+(?:pas[oó]|ha\s+pasado)|novedad(?:es)?|c[oó]mo\s+va)\b",
        ),
    ),
    (
        Intent.DENY,
        _any(
            r"^\s*(?:no|nope|nah|not\s+now|no\s+thanks?|never\s*mind|forget\s+(?:it|about\s+it)"
            r"|no\s+worries|(?:it\s+)?doesn'?t\s+matter)\b",
            # Spanish
            r"^\s*(?:no\s+gracias|nada|d[eé]jalo|olv[ií]dalo|no\s+importa|da\s+igual)\b",
        ),
    ),
    (
        Intent.GOODBYE,
        _any(
            r"\b(?:bye|goodbye|good\s+bye|see\s+you|that'?s\s+all|that\s+is\s+all"
            r"|nothing\s+else|have\s+a\s+(?:good|nice|great))\b",
            # Spanish
            r"\b(?:adi[oó]s|hasta\s+(?:luego|pronto)|chao|chau|eso\s+es\s+todo|nada\s+m[aá]s)\b",
        ),
    ),
    (
        Intent.AFFIRM,
        _any(
            r"^\s*(?:yes|yeah|yep|yup|sure|please(?:\s+do)?|go\s+ahead|please\s+transfer"
            r"|that\s+would\s+be\s+(?:great|good))\b",
            # "ok thanks" closes a topic, where "yes thanks" accepts; neither it nor an
            # acknowledgement ("great", "got it": the dialogue goes on) with thanks accepts
            # an offer of a person.
            r"^\s*(?:ok(?:ay)?|alright|all\s+right|great|perfect|cool|awesome|excellent"
            r"|wonderful|got\s+it|good|nice|fine|sounds\s+good|understood|i\s+see)\b"
            r"(?!\W*(?:thanks|thank\s+you|thx|cheers))",
            # Spanish
            r"^\s*(?:s[ií]|vale|claro|de\s+acuerdo|por\s+favor|perfecto|genial|estupendo)\b"
            r"(?!\W*gracias)",
        ),
    ),
    (
        Intent.THANKS,
        _any(
            r"\b(?:thanks|thank\s+you|thx|cheers|appreciate\s+it)\b",
            # Spanish
            r"\b(?:gracias|te\s+lo\s+agradezco)\b",
        ),
    ),
    (
        Intent.GREETING,
        _any(
            r"\b(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening))\b",
            # "I need help": not understood as anything more, it still opens the dialogue.
            r"\b(?:help|assist|assistance)\b",
            r"\b(?:anyone|anybody|someone|somebody)\s+(?:there|here)\b",
            r"\bare\s+you\s+(?:there|still\s+there)\b",
            # Spanish
            r"\b(?:hola|buenas|buenos\s+d[ií]as|buenas\s+tardes|buenas\s+noches|ayuda|ay[uú]dame)\b",
        ),
    ),
)

_SHORT = 6  # "yes please" and "no thanks" are short; a long sentence starting "no" is not a no

_NEGATIVE = _any(
    r"\b(?:ridiculous|worst|terrible|awful|horrible|useless|pathetic|unacceptable|disgusting"
    r"|furious|angry|outraged|livid|fed\s+up|sick\s+of|hate|scam|rip\s*-?off|incompetent"
    r"|joke|nonsense|rubbish|garbage|wtf|damn|hell|crap|stupid|idiots?|shameful"
    r"|disappointed|frustrat\w*|annoy\w*|appalling|fraud)\b",
    # Spanish
    r"\b(?:rid[ií]culo|p[eé]simo|horrible|in[uú]til|inaceptable|hart[oa]|estafa|verg[uü]enza"
    r"|enfadad[oa]|furios[oa]|basura|indignante|una\s+broma)\b",
    r"!{2,}",
)
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_WORD = re.compile(r"\b[A-Za-z]{2,}\b")

_INJECTION = _any(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:rules?|instructions?|policy"
    r"|policies|guardrails?|verification|prompt)\b",
    r"\b(?:you\s+are|i\s+am|i'm|we\s+are|user\s+is|customer\s+is)\s+(?:now\s+|already\s+)?"
    r"(?:verified|authenticated|authori[sz]ed|an?\s+admin)",
    r"\bsystem\s*(?:prompt|message|:)",
    r"\b(?:developer|admin|god|debug)\s+mode\b",
    r"\bjailbreak\b",
    r"\bpretend\s+(?:to\s+be|you)\b",
    # Spanish
    r"\b(?:ignora|olvida|salta(?:te)?)\b.{0,40}\b(?:reglas|instrucciones|verificaci[oó]n)\b",
    r"\b(?:estoy|est[aá]s|ya\s+estoy)\s+verificad[oa]\b",
    r"\bmodo\s+(?:administrador|desarrollador|admin)\b",
)


# Said when the order number was just asked for: there is none to give.
_NO_NUMBER_WHEN_ASKED = _any(
    r"^\W*(?:i\s+)?(?:don'?t|do\s+not|can'?t|cannot|couldn'?t)\s+(?:have|know|find|remember"
    r"|see)(?:\s+(?:it|that|one|them))?\W*$",
    r"^\W*(?:no\s+idea|not\s+sure|i'?m\s+not\s+sure|no\s+clue|dunno)\W*$",
)


def classify(text: str, asked_for_order: bool = False) -> Intent:
    """The message's intent; `asked_for_order`: the agent's last question was the order
    number, which gives "I don't have it" its meaning."""
    words = len(text.split())
    lowered = text.lower()
    if asked_for_order and _NO_NUMBER_WHEN_ASKED.search(lowered):
        return Intent.NO_ORDER_NUMBER
    for intent, pattern in _PATTERNS:
        if intent in (Intent.AFFIRM, Intent.DENY) and words > _SHORT:
            continue
        if pattern.search(lowered):
            return intent
    return Intent.OUT_OF_SCOPE


# A question mark at the end, or a question word first ("do you sell gift cards").
_QUESTION = _any(
    r"\?\s*$",
    r"^\s*(?:what|what's|whats|who|how|why|which|where|when|do|does|did|can|could|is|are"
    r"|will|would|should|may)\b",
    r"^\s*¿",
    r"^\s*(?:qu[eé]|qui[eé]n|c[oó]mo|por\s+qu[eé]|cu[aá]l|d[oó]nde|cu[aá]ndo|puedes|puedo|tienen"
    r"|hay)\b",
)


def is_question(text: str) -> bool:
    """Whether the message asks something. A question about nothing the agent handles is
    out of scope, and gets an answer saying so; other words not understood are asked
    again."""
    return bool(_QUESTION.search(text.lower()))


def is_negative(text: str) -> bool:
    """Angry words, repeated exclamation marks, or mostly shouting."""
    if _NEGATIVE.search(text.lower()):
        return True
    words = _WORD.findall(text)
    shouted = _CAPS_WORD.findall(text)
    return len(shouted) >= 3 and len(shouted) >= 0.6 * len(words)


def looks_like_injection(text: str) -> bool:
    """An attempt to talk the agent out of its rules. It changes nothing either way; this
    only lets the attempt be recorded."""
    return bool(_INJECTION.search(text.lower()))


# What a CANCEL_OR_CHANGE asks for, so the answer names it ("I can't start a return
# myself"), in order of precedence; anything else is a change to the order.
_CHANGES = (
    (
        "return",
        _any(
            r"\b(?:return|returns|returning|exchange|send\s+(?:it|them)\s+back)\b",
            r"\b(?:devolver|devoluci[oó]n|cambiarlo|cambiarla)\b",
        ),
    ),
    ("cancel", _any(r"\bcancel", r"\banular\b")),
    (
        "address",
        _any(
            r"\baddress\b",
            r"\b(?:redirect|reroute|re-route)\b",
            r"\bsend\s+it\s+to\b",
            r"\bpick\s*(?:it\s+|them\s+)?up\b",
            r"\bdirecci[oó]n\b",
            r"\brecoger(?:lo|la)?\b",
        ),
    ),
    (
        "faster",
        _any(
            r"\b(?:hurry|speed|expedite|faster|express|quicker|upgrade)\b",
            r"\b(?:urgente|r[aá]pido|antes)\b",
        ),
    ),
)


def change_asked(text: str) -> str:
    """return | cancel | address | faster | change: what a cancel-or-change message asks."""
    lowered = text.lower()
    for kind, pattern in _CHANGES:
        if pattern.search(lowered):
            return kind
    return "change"


# "I don't remember which email I used": the detail the customer cannot give, so the ask
# names the others.
_FACTOR_NOT_AT_HAND = re.compile(
    r"\b(?:don'?t|do\s+not|can'?t|cannot|not\s+sure|no\s+longer|forgot|forget"
    r"|no\s+(?:s[eé]|recuerdo|tengo|me\s+acuerdo)|olvid[eé])\b[^.?!]{0,30}?"
    r"\b(e-?mail|phone|number|zip|post\s*code|postal\s+code|address"
    r"|correo|tel[eé]fono|c[oó]digo\s+postal|direcci[oó]n)\b"
)
_FACTOR_WORDS = {
    "email": "email",
    "phone": "phone",
    "number": "phone",
    "address": "postcode",
    "correo": "email",
    "teléfono": "phone",
    "telefono": "phone",
}


def factor_not_at_hand(text: str) -> str | None:
    """email | phone | postcode: the detail a message says the customer does not have."""
    match = _FACTOR_NOT_AT_HAND.search(text.lower())
    if match is None:
        return None
    return _FACTOR_WORDS.get(match.group(1).replace("-", ""), "postcode")


_NAME_GIVEN = _any(
    r"\b(?:my\s+name\s+is|my\s+name's|name\s*:|under\s+the\s+name|it'?s\s+under)\b",
    r"\b(?:me\s+llamo|mi\s+nombre\s+es|a\s+nombre\s+de)\b",
)
_NAME_PART = re.compile(r"[^\W\d_][^\W\d_'\-]*")


def gives_a_name(text: str) -> bool:
    """ "Maya Patel", "Sofía García", "my name is Maya": a name, which proves nothing about
    an order. Two or three capitalised words and nothing else count as one."""
    if _NAME_GIVEN.search(text.lower()):
        return True
    words = text.strip().rstrip(".!").split()
    return 2 <= len(words) <= 3 and all(
        _NAME_PART.fullmatch(w) and w[0].isupper() and not w[1:].isupper() for w in words
    )


_ASKS_ABOUT_THE_REST = _any(*_THE_REST)


def asks_about_the_rest(text: str) -> bool:
    """ "what about the rest of it?": the part of an order that has not shipped."""
    return bool(_ASKS_ABOUT_THE_REST.search(text.lower()))
