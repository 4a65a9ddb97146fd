"""The English pack: what English-speaking shoppers write and say, and what the agent says
back. Data only; see packs/__init__.py for what a pack holds and how one is added."""

from __future__ import annotations

from core.engine.packs.format import LanguagePack, LanguageWords, NumberWords

# The languages an agent speaking English reads: English only, so a Spanish word that
# looks like an English one ("rota", "agente") never changes what an English sentence means.
READS = ("en",)

_EN_STAFF = (
    r"(?:human(?:\s+being)?|person|agent|representative|rep|operator|supervisor|manager|staff"
    r"|customer\s+(?:service|support|care))"
)
_EN_ARTICLE = r"(?:(?:a|an|the|your|some|real|live|actual)\s+)*"

WORDS = LanguageWords(
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
            # "how soon can I expect my product?"
            r"\bhow\s+soon\b",
            r"\bexpect(?:ing)?\s+(?:my|the|it|this|that|them|to\s+(?:get|receive))\b",
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
            # "I need help", and nothing more: it opens the dialogue. Help with something the
            # agent does not do ("help with a gift card") is not a greeting (issue 18).
            r"^\W*(?:(?:hi|hello|hey)\W+)?(?:(?:i\s+)?(?:need|want|would\s+like)\s+(?:some\s+)?"
            r"|(?:can|could)\s+(?:you|someone|anyone)\s+|please\s+)?(?:help|assist|assistance)"
            r"(?:\s+(?:me|us))?(?:\s+please)?\W*$",
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
            "how soon can I expect it?",
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
    references={
        "other": (r"\b(?:the\s+|my\s+)?other\s+(?:one|order|package|parcel)\b",),
        "previous": (r"\b(?:the\s+|my\s+)?(?:previous|earlier)\s+(?:one|order|package|parcel)\b",),
        # "the first parcel" and "the second box" are parcels of the order in focus (its
        # answer numbers them), not orders.
        "first": (r"\b(?:the\s+|my\s+)?first\s+(?:one|order)\b",),
        "second": (r"\b(?:the\s+|my\s+)?second\s+(?:one|order)\b",),
    },
    order_cue_before=(r"\b(?:for|about)", r"^\W*(?:and|or|also|what\s+about|how\s+about)"),
    date_before=(
        r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
        r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s*",
    ),
    not_order_units=(
        r"(?:dollars?|bucks|euros?|pounds?|quid|cents?|usd|eur|gbp|cad|aud|items?|pieces?"
        r"|units?|pcs|articles?|products?|days?|weeks?|months?|years?|hours?|hrs|minutes?"
        r"|mins?|am|pm|o'?clock|percent|kg|lbs?)\b",
    ),
)

NUMBERS = NumberWords(
    units={
        "zero": 0,
        "oh": 0,
        "o": 0,
        "nought": 0,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
    },
    teens={
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
    },
    tens={
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
    },
    scales={"hundred": 100, "thousand": 1000},
    repeats={"double": 2, "triple": 3},
    joiner="and",
    plus="plus",
    joiner_lists=True,
    # "o" is the letter O in a spelled postcode, and "nought" never spelled in one.
    not_spelled=("o", "nought"),
    letter_zeros=("oh", "o"),
)


# The agent's lines by message id (replies.py, order_words.py), str.format templates:
# `postcode` is the agent's word for the code on an address; other fields are named where
# the line is said.
LINES = {
    "offer_person": "Would you like me to pass you to a person on our team?",
    "ask_order_number.1": "What's your order number? It's in your order confirmation email, like #1001.",
    "ask_which_order.1": "Sure. What's the order number of that order? It's in its confirmation email.",
    "no_order_number.1": "I need the order number to find your order. {where} If you can't find it, a person on our team can look it up. {offer}",
    "ask_factor": "To keep your order safe, please tell me the email address, phone number or shipping {postcode} on order {name}.",
    "ask_other_factor.1": "No problem: the {others} on order {name} will do too. If you have none of them, a person on our team can help.",
    "not_matched": "I couldn't find order {name} with those details. Please check the order number and the email, phone or {postcode} on the order, and try again.",
    "locked": "For your security, I can't look up order {name} any more right now. {offer}",
    "rate_limited": "I can't look up any more orders right now. {offer}",
    "lookup_unavailable": "I'm not able to look up orders here. {offer}",
    "cannot_verify": "I'm not able to confirm who you are here, so I can't share order details. {offer}",
    "out_of_scope.1": "I can only help with your orders here: where one is, its tracking and when it should arrive. {offer}",
    "banned_topic": "I'm sorry, I can't help with that. I'm here to help with your orders.",
    "cancel_or_change": "I can't {what} myself, but a person on our team can. {offer}",
    "complaint": "I'm sorry to hear that. Is it about one of your orders? If so, tell me its order number. If not, I can pass you to a person on our team: just say yes.",
    "account": "I can't help with accounts, passwords or newsletters here: I can tell you where an order is, its tracking and when it should arrive. {offer}",
    "anything_else": "Is there anything else I can help with?",
    "goodbye": "Thanks for getting in touch. Goodbye!",
    "already_handed_off": "I've already asked a person from our team to help. They'll reply here.",
    "closed": "Our team is away right now; they're back {when} and will reply then.",
    "passed_on": "Thanks, I've passed that on. A member of our team has your conversation and will reply here.",
    "restarted": "Sorry, let me start that again.",
    "failed_turn": "Sorry, something went wrong on my side. Could you say that again, or ask for a person?",
    "ask_order_number.2": "What's your order number? You can say it or key it in on your phone.",
    "ask_which_order.2": "Sure. What's the order number of that order? You can say it or key it in.",
    "no_order_number.2": "It's in your order confirmation email, and starts with a hash sign.",
    "no_order_number.3": "It's in your order confirmation email, like #1001.",
    "ask_other_factor.2": "phone number or shipping {postcode}",
    "name_is_not_enough": "Thanks. A name isn't enough to keep your order safe. ",
    "misunderstood.1": "Sorry, I didn't catch that. I can tell you where order {order} is, its tracking and when it should arrive, or pass you to a person on our team.",
    "misunderstood.2": "I can tell you where your order is. ",
    "out_of_scope.2": "That's not something I can help with here. {offer}",
    "about_agent": "I'm an automated assistant, not a person. ",
    "declined": "No problem. ",
    "thanks": "You're welcome! ",
    "greeting.1": "Hi, this is {display_name}. I can help you find out where your order is.",
    "greeting.2": "Hi! I can help you find out where your order is.",
    "ask_other_factor.3": "email address or shipping {postcode}",
    "ask_other_factor.4": "email address or phone number",
    "misunderstood.3": "Sorry, I didn't catch that. ",
    "handoff.1": "I'm transferring you to a person on our team now.",
    "handoff.2": ", and they'll get back to you.",
    "handoff.3": ". They'll reply here as soon as they can.",
    "status.tracking": "The tracking number is {number}.",
    "status.headline.1": "Order {n}.",
    "status.parcel.1": "That parcel",
    "status.the_rest": "The rest of order {v_name} hasn't shipped yet, so it has no tracking or date yet.",
    "status.link": "Track it here: {url}",
    "status.shipment_line": "Latest update",
    "status.with": " with {carrier}",
    "status.describe.1": "I found order {v_name}, but I'm not able to share its details here.",
    "status.parcel.2": "Parcel {index}",
    "status.follow_up.1": "Order {v_name} hasn't shipped yet, so there's no delivery date or tracking yet.",
    "status.tracking_follow_up.1": " is with {s_carrier}",
    "status.headline.2": "Order {n} hasn't shipped yet. It's being prepared.",
    "status.headline.3": "Order {n} is on its way{by}.",
    "status.headline.4": "Good news: order {n} is out for delivery{by}.",
    "status.headline.5": "Order {n} is ready for pickup{by}.",
    "status.headline.6": "Order {n} was delivered{by}.",
    "status.headline.7": "I'm sorry: order {n} is delayed{by}.",
    "status.headline.8": "Order {n} has been refunded.",
    "status.headline.9": "Order {n} hasn't shipped: its payment was voided, so it isn't being prepared. I can pass your question to the team.",
    "status.headline.10": "Order {n} hasn't shipped: its payment authorization expired before the payment was taken, so it isn't being prepared. I can pass your question to the team.",
    "status.headline.11": "Order {n} has nothing to ship, so there's no delivery to track.",
    "status.headline.12": "I found order {n}, but I can't tell its delivery status right now.",
    "status.headline.13": "Here's what I can tell you about order {n}.",
    "status.describe.2": "Order page: {v_status_page_url}",
    "status.follow_up.2": "Order {v_name}",
    "status.tracking_follow_up.2": " but",
    "status.tracking_follow_up.3": "{label}{carrier}{but} has no tracking number yet.",
    "status.describe.3": "Order {v_name}{items} is coming in {count} parcels.",
    "status.describe.4": "The rest of the order hasn't shipped yet.",
    "status.follow_up.3": "{label} is ready for pickup now.",
    "status.follow_up.4": "{label} doesn't have an expected delivery date yet.",
    "change.return": "start a return or an exchange",
    "change.cancel": "cancel an order",
    "change.address": "change where an order goes",
    "change.faster": "change how an order ships",
    "change.refund": "refund an order",
    "change.item": "change the items in an order",
    "change.change": "change an order",
    "change.unknown": "cancel or change an order",
    "sorry.damaged": "I'm sorry your order arrived damaged.",
    "sorry.wrong_item": "I'm sorry you received the wrong item.",
    "sorry.delayed": "I'm sorry for the delay.",
    "sorry.lost": "I'm sorry it hasn't reached you.",
    "sorry.failed_delivery": "I'm sorry the delivery didn't work out.",
    "sorry.negative_sentiment": "I'm sorry for the trouble.",
    "sorry.misunderstanding": "I'm sorry I'm not getting this right.",
    "handoff.passed": "I've passed this to a person on our team",
    "handoff.passed_with_order": "I've passed this to a person on our team with your order details",
    "closed.when": "{day} at {clock12}",
    "closed.message_call": "Our team is away right now, so I've taken a message: they'll call you back {when}.",
    "closed.message": "Our team is away right now, so I've taken a message: they'll reply here {when}.",
    "status.tracking_numbers": "The tracking numbers are {numbers}.",
    "list.and": " and ",
    "date.day_first": "{weekday} {day} {month}",
    "date.month_first": "{weekday}, {month} {day}",
    "date.on": "on {said}",
    "status.when.delivered.it": "It was delivered {on}.",
    "status.when.delivered": "{subject} was delivered {on}.",
    "status.when.was_expected.it": "It was expected {on}.",
    "status.when.was_expected": "{subject} was expected {on}.",
    "status.when.expected.it": "It's expected {on}.",
    "status.when.expected": "{subject} is expected {on}.",
    "status.headline.attempted": "{carrier} tried to deliver order {n} but couldn't complete the delivery.",
    "status.headline.attempted.carrier": "The carrier tried to deliver order {n} but couldn't complete the delivery.",
    "status.headline.failed": "I'm sorry: {carrier} reports that order {n} couldn't be delivered.",
    "status.headline.failed.carrier": "I'm sorry: the carrier reports that order {n} couldn't be delivered.",
    "status.headline.cancelled": "Order {n} was cancelled{when}.",
    "status.headline.refunded": "Order {n} was cancelled and refunded{when}.",
    "status.partly_shipped": "Part of order {name}{items} has shipped.",
    "status.partly_shipped.parcels": "Part of order {name}{items} has shipped, in {count} parcels.",
    "status.parcel_state.processing": "is being prepared",
    "status.parcel_state.in_transit": "is on its way",
    "status.parcel_state.out_for_delivery": "is out for delivery",
    "status.parcel_state.ready_for_pickup": "is ready for pickup",
    "status.parcel_state.delivered": "was delivered",
    "status.parcel_state.delayed": "is delayed",
    "status.parcel_state.attempted_delivery": "had a delivery attempt that didn't succeed",
    "status.parcel_state.failed": "couldn't be delivered",
    "status.parcel_state.unknown": "has a status I can't read right now",
    "status.parcel_state.on_record": "is on record",
    "status.rest_unshipped.tracking": "The rest of the order hasn't shipped yet, so it has no tracking yet.",
    "status.rest_unshipped.date": "The rest of the order hasn't shipped yet, so it has no date yet.",
    "no_tracking_yet": "There's no tracking number for order {name} yet.",
    # When the store cannot be asked (core/domain/store_errors.py names which).
    "store.cant_look_up": "I can't look up orders for this store right now. I can pass your question to the team, or you can try again later.",
    "store.unavailable": "The store's order system is unavailable at the moment, so I can't check your order. I can pass your question to the team, or you can try again later.",
    "store.trouble_reaching": "I'm having trouble reaching the store right now. Please try again in a few minutes.",  # On a call, said by the core outside a turn (core/conversations/call_lines.py).
    "call.one_moment": "One moment, let me look that up.",
    "call.say_again": "Sorry, I didn't quite catch that. Could you say it again?",
    "call.idle_reminder": "Are you still there? You can tell me your order number, or key it in on your phone.",
    "call.idle_goodbye": "I haven't heard anything, so I'll end the call now. Please call back any time. Goodbye!",
    "call.idle_handoff": "I haven't heard anything, so I'm passing you to a person on our team.",
    "call.time_up": "We've reached the time limit for this call. Thanks for calling. Goodbye!",
    "call.transfer_failed": "I couldn't reach anyone on our team just now. I've passed your details on, and someone will get back to you.",
}

PACK = LanguagePack(
    language="en",
    reads=READS,
    words=WORDS,
    numbers=NUMBERS,
    lines=LINES,
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    near_days={0: "today", 1: "tomorrow", -1: "yesterday"},
    # A tag without a region keeps the neutral default; North America writes the month
    # first and names its own code; every other region puts the day first.
    postcode_word="postcode",
    day_first=False,
    regions={"US": ("ZIP code", False), "PR": ("ZIP code", False), "CA": ("postal code", False)},
    other_region=("postcode", True),
)
