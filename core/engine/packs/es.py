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
    date_before=(
        r"\b(?:de\s+)?(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre"
        r"|octubre|noviembre|diciembre)\s+(?:de(?:l)?\s+)?",
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

# The agent's lines by message id (replies.py, order_words.py), str.format templates:
# `postcode` is the agent's word for the code on an address; other fields are named where
# the line is said.
LINES = {
    "offer_person": "¿Quieres que te pase con una persona de nuestro equipo?",
    "ask_order_number.1": "¿Cuál es tu número de pedido? Está en el correo de confirmación, como #1001.",
    "ask_which_order.1": "Claro. ¿Cuál es el número de ese pedido? Está en su correo de confirmación.",
    "no_order_number.1": "Necesito el número de pedido para encontrarlo. {where} Si no lo encuentras, una persona de nuestro equipo puede buscarlo. {offer}",
    "ask_factor": "Para proteger tu pedido, dime el correo electrónico, el teléfono o el {postcode} de envío del pedido {name}.",
    "ask_other_factor.1": "No pasa nada: también me sirve el {others} del pedido {name}. Si no tienes ninguno, una persona de nuestro equipo puede ayudarte.",
    "not_matched": "No he encontrado el pedido {name} con esos datos. Revisa el número de pedido y el correo, el teléfono o el {postcode} del pedido, y vuelve a intentarlo.",
    "locked": "Por tu seguridad, ahora no puedo seguir consultando el pedido {name}. {offer}",
    "rate_limited": "Ahora mismo no puedo consultar más pedidos. {offer}",
    "lookup_unavailable": "Aquí no puedo consultar pedidos. {offer}",
    "cannot_verify": "Aquí no puedo confirmar quién eres, así que no puedo compartir los detalles del pedido. {offer}",
    "out_of_scope.1": "Aquí solo puedo ayudarte con tus pedidos: dónde están, su seguimiento y cuándo deberían llegar. {offer}",
    "banned_topic": "Lo siento, con eso no puedo ayudarte. Estoy aquí para ayudarte con tus pedidos.",
    "cancel_or_change": "Yo no puedo {what}, pero una persona de nuestro equipo sí. {offer}",
    "complaint": "Siento mucho oír eso. ¿Es sobre uno de tus pedidos? Si es así, dime su número. Si no, puedo pasarte con una persona de nuestro equipo: solo di que sí.",
    "account": "Aquí no puedo ayudarte con cuentas, contraseñas ni boletines: puedo decirte dónde está un pedido, su seguimiento y cuándo debería llegar. {offer}",
    "anything_else": "¿Puedo ayudarte en algo más?",
    "goodbye": "Gracias por escribirnos. ¡Hasta pronto!",
    "already_handed_off": "Ya he pedido ayuda a una persona de nuestro equipo. Te responderá aquí.",
    "closed": "Nuestro equipo no está ahora; vuelve {when} y te responderá entonces.",
    "passed_on": "Gracias, se lo he hecho llegar. Una persona de nuestro equipo tiene tu conversación y te responderá aquí.",
    "restarted": "Perdona, vuelvo a empezar.",
    "failed_turn": "Perdona, algo ha fallado por mi parte. ¿Puedes repetirlo, o pedir hablar con una persona?",
    "ask_order_number.2": "¿Cuál es tu número de pedido? Puedes decirlo o marcarlo en el teléfono.",
    "ask_which_order.2": "Claro. ¿Cuál es el número de ese pedido? Puedes decirlo o marcarlo.",
    "no_order_number.2": "Está en el correo de confirmación y empieza por una almohadilla.",
    "no_order_number.3": "Está en el correo de confirmación, como #1001.",
    "ask_other_factor.2": "teléfono o el {postcode} de envío",
    "name_is_not_enough": "Gracias. Un nombre no basta para proteger tu pedido. ",
    "misunderstood.1": "Perdona, no te he entendido. Puedo decirte dónde está el pedido {order}, su seguimiento y cuándo debería llegar, o pasarte con una persona de nuestro equipo.",
    "misunderstood.2": "Puedo decirte dónde está tu pedido. ",
    "out_of_scope.2": "Con eso no puedo ayudarte aquí. {offer}",
    "about_agent": "Soy un asistente automático, no una persona. ",
    "declined": "De acuerdo. ",
    "thanks": "¡De nada! ",
    "greeting.1": "Hola, soy {display_name}. Puedo ayudarte a saber dónde está tu pedido.",
    "greeting.2": "¡Hola! Puedo ayudarte a saber dónde está tu pedido.",
    "ask_other_factor.3": "correo electrónico o el {postcode} de envío",
    "ask_other_factor.4": "correo electrónico o el teléfono",
    "misunderstood.3": "Perdona, no te he entendido. ",
    "handoff.1": "Te paso ahora con una persona de nuestro equipo.",
    "handoff.2": ", y te contactará.",
    "handoff.3": ". Te responderá aquí en cuanto pueda.",
    "status.tracking": "El número de seguimiento es {number}.",
    "status.headline.1": "Pedido {n}.",
    "status.parcel.1": "Ese paquete",
    "status.the_rest": "El resto del pedido {v_name} aún no se ha enviado, así que todavía no tiene seguimiento ni fecha.",
    "status.link": "Puedes seguirlo aquí: {url}",
    "status.shipment_line": "Última novedad",
    "status.with": " con {carrier}",
    "status.describe.1": "He encontrado el pedido {v_name}, pero no puedo compartir sus detalles aquí.",
    "status.parcel.2": "El paquete {index}",
    "status.follow_up.1": "El pedido {v_name} aún no se ha enviado, así que todavía no tiene fecha de entrega ni seguimiento.",
    "status.tracking_follow_up.1": " va con {s_carrier}",
    "status.headline.2": "El pedido {n} aún no se ha enviado. Se está preparando.",
    "status.headline.3": "El pedido {n} está en camino{by}.",
    "status.headline.4": "Buenas noticias: el pedido {n} está en reparto{by}.",
    "status.headline.5": "El pedido {n} está listo para recoger{by}.",
    "status.headline.6": "El pedido {n} se entregó{by}.",
    "status.headline.7": "Lo siento: el pedido {n} va con retraso{by}.",
    "status.headline.8": "El pedido {n} se ha reembolsado.",
    "status.headline.9": "El pedido {n} no se ha enviado: su pago se anuló, así que no se está preparando. Puedo pasar tu pregunta al equipo.",
    "status.headline.10": "El pedido {n} no se ha enviado: la autorización de su pago caducó antes de cobrarse, así que no se está preparando. Puedo pasar tu pregunta al equipo.",
    "status.headline.11": "El pedido {n} no lleva envío, así que no hay entrega que seguir.",
    "status.headline.12": "He encontrado el pedido {n}, pero ahora no puedo saber el estado de la entrega.",
    "status.headline.13": "Esto es lo que puedo decirte del pedido {n}.",
    "status.describe.2": "Página del pedido: {v_status_page_url}",
    "status.follow_up.2": "El pedido {v_name}",
    "status.tracking_follow_up.2": ", pero",
    "status.tracking_follow_up.3": "{label}{carrier}{but} aún no tiene número de seguimiento.",
    "status.describe.3": "El pedido {v_name}{items} llega en {count} paquetes.",
    "status.describe.4": "El resto del pedido aún no se ha enviado.",
    "status.follow_up.3": "{label} ya está listo para recoger.",
    "status.follow_up.4": "{label} aún no tiene fecha de entrega prevista.",
    "change.return": "tramitar una devolución o un cambio",
    "change.cancel": "cancelar un pedido",
    "change.address": "cambiar a dónde va un pedido",
    "change.faster": "cambiar cómo se envía un pedido",
    "change.refund": "reembolsar un pedido",
    "change.item": "cambiar los artículos de un pedido",
    "change.change": "cambiar un pedido",
    "change.unknown": "cancelar ni cambiar un pedido",
    "sorry.damaged": "Siento que tu pedido llegara dañado.",
    "sorry.wrong_item": "Siento que recibieras un artículo equivocado.",
    "sorry.delayed": "Siento el retraso.",
    "sorry.lost": "Siento que no te haya llegado.",
    "sorry.failed_delivery": "Siento que la entrega no saliera bien.",
    "sorry.negative_sentiment": "Siento las molestias.",
    "sorry.misunderstanding": "Siento no estar entendiéndote bien.",
    "handoff.passed": "Le he pasado esto a una persona de nuestro equipo",
    "handoff.passed_with_order": "Le he pasado esto a una persona de nuestro equipo con los datos de tu pedido",
    "closed.when": "{on} a las {clock24}",
    "closed.message_call": "Nuestro equipo no está ahora, así que he tomado nota: te llamarán {when}.",
    "closed.message": "Nuestro equipo no está ahora, así que he tomado nota: te responderán aquí {when}.",
    "status.tracking_numbers": "Los números de seguimiento son {numbers}.",
    "list.and": " y ",
    "date.day_first": "{weekday} {day} de {month}",
    "date.month_first": "{weekday} {day} de {month}",
    "date.on": "el {said}",
    "status.when.delivered.it": "Se entregó {on}.",
    "status.when.delivered": "{subject} se entregó {on}.",
    "status.when.was_expected.it": "Se esperaba {on}.",
    "status.when.was_expected": "{subject} se esperaba {on}.",
    "status.when.expected.it": "Llegará {on}.",
    "status.when.expected": "{subject} llegará {on}.",
    "status.headline.attempted": "{carrier} intentó entregar el pedido {n}, pero no pudo completar la entrega.",
    "status.headline.attempted.carrier": "El transportista intentó entregar el pedido {n}, pero no pudo completar la entrega.",
    "status.headline.failed": "Lo siento: {carrier} indica que el pedido {n} no se pudo entregar.",
    "status.headline.failed.carrier": "Lo siento: el transportista indica que el pedido {n} no se pudo entregar.",
    "status.headline.cancelled": "El pedido {n} se canceló{when}.",
    "status.headline.refunded": "El pedido {n} se canceló y se reembolsó{when}.",
    "status.partly_shipped": "Parte del pedido {name}{items} ya se ha enviado.",
    "status.partly_shipped.parcels": "Parte del pedido {name}{items} ya se ha enviado, en {count} paquetes.",
    "status.parcel_state.processing": "se está preparando",
    "status.parcel_state.in_transit": "está en camino",
    "status.parcel_state.out_for_delivery": "está en reparto",
    "status.parcel_state.ready_for_pickup": "está listo para recoger",
    "status.parcel_state.delivered": "se entregó",
    "status.parcel_state.delayed": "va con retraso",
    "status.parcel_state.attempted_delivery": "tuvo un intento de entrega fallido",
    "status.parcel_state.failed": "no se pudo entregar",
    "status.parcel_state.unknown": "tiene un estado que ahora no puedo leer",
    "status.parcel_state.on_record": "consta en el pedido",
    "status.rest_unshipped.tracking": "El resto del pedido aún no se ha enviado, así que todavía no tiene seguimiento.",
    "status.rest_unshipped.date": "El resto del pedido aún no se ha enviado, así que todavía no tiene fecha.",
    "no_tracking_yet": "El pedido {name} aún no tiene número de seguimiento.",
    "store.cant_look_up": "Ahora no puedo consultar los pedidos de esta tienda. Puedo pasar tu pregunta al equipo, o puedes intentarlo más tarde.",
    "store.unavailable": "El sistema de pedidos de la tienda no está disponible en este momento, así que no puedo consultar tu pedido. Puedo pasar tu pregunta al equipo, o puedes intentarlo más tarde.",
    "store.trouble_reaching": "Ahora mismo me cuesta contactar con la tienda. Vuelve a intentarlo en unos minutos.",  # En una llamada, lo que dice el núcleo fuera de un turno (core/conversations/call_lines.py).
    "call.one_moment": "Un momento, lo estoy consultando.",
    "call.say_again": "Perdona, no te he entendido bien. ¿Puedes repetirlo?",
    "call.idle_reminder": "¿Sigues ahí? Puedes decirme tu número de pedido o marcarlo en el teclado del teléfono.",
    "call.idle_goodbye": "No he oído nada, así que voy a terminar la llamada. Puedes volver a llamar cuando quieras. ¡Hasta pronto!",
    "call.idle_handoff": "No he oído nada, así que te paso con una persona de nuestro equipo.",
    "call.time_up": "Hemos llegado al tiempo máximo de esta llamada. Gracias por llamar. ¡Hasta pronto!",
    "call.transfer_failed": "Ahora mismo no he podido contactar con nadie del equipo. Les he pasado tus datos y alguien se pondrá en contacto contigo.",
}

PACK = LanguagePack(
    language="es",
    reads=READS,
    words=WORDS,
    numbers=NUMBERS,
    address_words=ADDRESS_WORDS,
    lines=LINES,
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    near_days={0: "hoy", 1: "mañana", -1: "ayer"},
    postcode_word="código postal",
    day_first=True,
)
