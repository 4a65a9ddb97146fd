"""The Spanish pack: what Spanish-speaking shoppers write and say, and what the agent says
back. Data only; see packs/__init__.py for what a pack holds and how one is added."""

from __future__ import annotations

from core.engine.packs.format import LanguagePack, LanguageWords, NumberWords

# A Spanish-speaking agent also reads English: its shoppers mix English words into Spanish
# ("el tracking", "a person please").
READS = ("es", "en")

_ES_STAFF = (
    r"(?:persona(?:\s+real)?|humano|humana|agente|representante|operador|operadora|encargad[oa]"
    r"|responsable|atenci[oó]n\s+al\s+cliente)"
)
_ES_ARTICLE = r"(?:(?:una|un|el|la|alg[uú]n|alguna)\s+)?"

WORDS = LanguageWords(
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

_TEENS = {
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "dieciséis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veintiuno": 21,
    "veintidos": 22,
    "veintidós": 22,
    "veintitres": 23,
    "veintitrés": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintiséis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
}
_HUNDREDS = {"cien": 100, "ciento": 100, "quinientos": 500, "quinientas": 500}
for _word, _value in (
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("seis", 6),
    ("sete", 7),
    ("ocho", 8),
    ("nove", 9),
):
    _HUNDREDS[f"{_word}cientos"] = _HUNDREDS[f"{_word}cientas"] = _value * 100

NUMBERS = NumberWords(
    # "un" and "una" are left out: mostly articles ("un pedido"), and one digit alone is
    # never converted anyway.
    units={
        "cero": 0,
        "uno": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
    },
    teens=_TEENS,
    tens={
        "veinte": 20,
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
        "sesenta": 60,
        "setenta": 70,
        "ochenta": 80,
        "noventa": 90,
    },
    scales={"mil": 1000},
    repeats={"doble": 2, "triple": 3},
    joiner="y",
    plus="m[aá]s",
    hundreds=_HUNDREDS,
)

# Spoken address words, as the English ones the address reader knows ("arroba" is "at").
ADDRESS_WORDS = {
    "arroba": "at",
    "punto": "dot",
    "guion bajo": "underscore",
    "guión bajo": "underscore",
    "guion": "dash",
    "guión": "dash",
}

PACK = LanguagePack(
    language="es", reads=READS, words=WORDS, numbers=NUMBERS, address_words=ADDRESS_WORDS
)
