"""The built-in brain's lines of conversation: plain and short enough to speak on a call.

What is said about an order itself is in .order_words. Every line takes the agent's
Wording (`w`) and is written in English and Spanish side by side (`w.say(en, es)`); the
English follows the region of the agent's language tag ("ZIP code" or "postcode", the day
before or after the month). An agent set to another language gets English (see the
turn's metadata).
"""

from __future__ import annotations

from datetime import datetime

from core.domain.business_hours import TAKE_MESSAGE

from .dates import Dates
from .policy import AgentPolicy
from .wording import NEUTRAL, Wording


def offer_person(w: Wording) -> str:
    return w.say(
        "Would you like me to pass you to a person on our team?",
        "¿Quieres que te pase con una persona de nuestro equipo?",
    )


OFFER_PERSON = offer_person(NEUTRAL)


# -- the conversation ------------------------------------------------------------------


def greeting(policy: AgentPolicy, now: datetime) -> str:
    """The agent's greeting; outside its hours followed by its after-hours words, if any."""
    w = policy.wording
    if policy.greeting.strip():
        said = policy.greeting.strip()
    elif policy.display_name:
        said = w.say(
            f"Hi, this is {policy.display_name}. I can help you find out where your order is.",
            f"Hola, soy {policy.display_name}. Puedo ayudarte a saber dónde está tu pedido.",
        )
    else:
        said = w.say(
            "Hi! I can help you find out where your order is.",
            "¡Hola! Puedo ayudarte a saber dónde está tu pedido.",
        )
    if policy.after_hours_message.strip() and not policy.staffed(now):
        said = f"{said} {policy.after_hours_message.strip()}"
    return said


def ask_order_number(w: Wording, voice: bool) -> str:
    if voice:
        return w.say(
            "What's your order number? You can say it or key it in on your phone.",
            "¿Cuál es tu número de pedido? Puedes decirlo o marcarlo en el teléfono.",
        )
    return w.say(
        "What's your order number? It's in your order confirmation email, like #1001.",
        "¿Cuál es tu número de pedido? Está en el correo de confirmación, como #1001.",
    )


def ask_which_order(w: Wording, voice: bool) -> str:
    """ "my other order" when no other order was verified here: the agent may not say which
    orders a customer has, so the customer names it."""
    if voice:
        return w.say(
            "Sure. What's the order number of that order? You can say it or key it in.",
            "Claro. ¿Cuál es el número de ese pedido? Puedes decirlo o marcarlo.",
        )
    return w.say(
        "Sure. What's the order number of that order? It's in its confirmation email.",
        "Claro. ¿Cuál es el número de ese pedido? Está en su correo de confirmación.",
    )


def no_order_number(w: Wording, voice: bool) -> str:
    where = (
        w.say(
            "It's in your order confirmation email, and starts with a hash sign.",
            "Está en el correo de confirmación y empieza por una almohadilla.",
        )
        if voice
        else w.say(
            "It's in your order confirmation email, like #1001.",
            "Está en el correo de confirmación, como #1001.",
        )
    )
    return w.say(
        f"I need the order number to find your order. {where} If you can't find it, a person "
        f"on our team can look it up. {offer_person(w)}",
        f"Necesito el número de pedido para encontrarlo. {where} Si no lo encuentras, una "
        f"persona de nuestro equipo puede buscarlo. {offer_person(w)}",
    )


def ask_factor(name: str, w: Wording) -> str:
    return w.say(
        f"To keep your order safe, please tell me the email address, phone number or "
        f"shipping {w.postcode} on order {name}.",
        f"Para proteger tu pedido, dime el correo electrónico, el teléfono o el "
        f"{w.postcode} de envío del pedido {name}.",
    )


def ask_other_factor(name: str, missing: str, w: Wording) -> str:
    """The customer does not have `missing` (email | phone | postcode): the others will do."""
    if missing == "email":
        others = w.say(
            f"phone number or shipping {w.postcode}", f"teléfono o el {w.postcode} de envío"
        )
    elif missing == "phone":
        others = w.say(
            f"email address or shipping {w.postcode}",
            f"correo electrónico o el {w.postcode} de envío",
        )
    else:
        others = w.say("email address or phone number", "correo electrónico o el teléfono")
    return w.say(
        f"No problem: the {others} on order {name} will do too. If you have none of them, "
        "a person on our team can help.",
        f"No pasa nada: también me sirve el {others} del pedido {name}. Si no tienes "
        "ninguno, una persona de nuestro equipo puede ayudarte.",
    )


def name_is_not_enough(name: str, w: Wording) -> str:
    return w.say(
        "Thanks. A name isn't enough to keep your order safe. ",
        "Gracias. Un nombre no basta para proteger tu pedido. ",
    ) + ask_factor(name, w)


def not_matched(name: str, w: Wording) -> str:
    """The same words for a wrong detail and for an order that does not exist."""
    return w.say(
        f"I couldn't find order {name} with those details. Please check the order number and "
        f"the email, phone or {w.postcode} on the order, and try again.",
        f"No he encontrado el pedido {name} con esos datos. Revisa el número de pedido y el "
        f"correo, el teléfono o el {w.postcode} del pedido, y vuelve a intentarlo.",
    )


def locked(name: str, w: Wording) -> str:
    return w.say(
        f"For your security, I can't look up order {name} any more right now. {offer_person(w)}",
        f"Por tu seguridad, ahora no puedo seguir consultando el pedido {name}. {offer_person(w)}",
    )


def rate_limited(w: Wording) -> str:
    return w.say(
        f"I can't look up any more orders right now. {offer_person(w)}",
        f"Ahora mismo no puedo consultar más pedidos. {offer_person(w)}",
    )


def lookup_unavailable(w: Wording) -> str:
    return w.say(
        f"I'm not able to look up orders here. {offer_person(w)}",
        f"Aquí no puedo consultar pedidos. {offer_person(w)}",
    )


def cannot_verify(w: Wording) -> str:
    return w.say(
        "I'm not able to confirm who you are here, so I can't share order details. "
        f"{offer_person(w)}",
        "Aquí no puedo confirmar quién eres, así que no puedo compartir los detalles del "
        f"pedido. {offer_person(w)}",
    )


def misunderstood(w: Wording, ask: str | None, order: str | None, first: bool) -> str:
    """Words not understood: `ask` is what the dialogue still needs, None when nothing."""
    if ask is None:
        return w.say(
            f"Sorry, I didn't catch that. I can tell you where order {order} is, its tracking "
            "and when it should arrive, or pass you to a person on our team.",
            f"Perdona, no te he entendido. Puedo decirte dónde está el pedido {order}, su "
            "seguimiento y cuándo debería llegar, o pasarte con una persona de nuestro equipo.",
        )
    # On the first turn the greeting has just said what the agent is for.
    scope = (
        ""
        if first or order
        else w.say("I can tell you where your order is. ", "Puedo decirte dónde está tu pedido. ")
    )
    return w.say("Sorry, I didn't catch that. ", "Perdona, no te he entendido. ") + scope + ask


def out_of_scope(w: Wording, first: bool) -> str:
    if first:  # the greeting has just said what the agent is for
        return w.say(
            f"That's not something I can help with here. {offer_person(w)}",
            f"Con eso no puedo ayudarte aquí. {offer_person(w)}",
        )
    return w.say(
        "I can only help with your orders here: where one is, its tracking and when it "
        f"should arrive. {offer_person(w)}",
        "Aquí solo puedo ayudarte con tus pedidos: dónde están, su seguimiento y cuándo "
        f"deberían llegar. {offer_person(w)}",
    )


def about_agent(w: Wording, ask: str | None) -> str:
    """Asked who or what it is: honestly, an automated assistant. `ask`: the question the
    dialogue still waits for; without one, a person is offered."""
    return w.say(
        "I'm an automated assistant, not a person. ",
        "Soy un asistente automático, no una persona. ",
    ) + (ask or offer_person(w))


def banned_topic(w: Wording) -> str:
    return w.say(
        "I'm sorry, I can't help with that. I'm here to help with your orders.",
        "Lo siento, con eso no puedo ayudarte. Estoy aquí para ayudarte con tus pedidos.",
    )


_CHANGE_WORDS = {
    "return": ("start a return or an exchange", "tramitar una devolución o un cambio"),
    "cancel": ("cancel an order", "cancelar un pedido"),
    "address": ("change where an order goes", "cambiar a dónde va un pedido"),
    "faster": ("change how an order ships", "cambiar cómo se envía un pedido"),
    "refund": ("refund an order", "reembolsar un pedido"),
    "item": ("change the items in an order", "cambiar los artículos de un pedido"),
    "change": ("change an order", "cambiar un pedido"),
}


def cancel_or_change(w: Wording, kind: str = "change") -> str:
    """`kind`: what was asked (intents.change_asked), said back so the shopper knows they
    were understood."""
    what = w.say(
        *_CHANGE_WORDS.get(kind, ("cancel or change an order", "cancelar ni cambiar un pedido"))
    )
    return w.say(
        f"I can't {what} myself, but a person on our team can. {offer_person(w)}",
        f"Yo no puedo {what}, pero una persona de nuestro equipo sí. {offer_person(w)}",
    )


def complaint(w: Wording) -> str:
    """A complaint naming no order: one question, so it reaches the right person."""
    return w.say(
        "I'm sorry to hear that. Is it about one of your orders? If so, tell me its order "
        "number. If not, I can pass you to a person on our team: just say yes.",
        "Siento mucho oír eso. ¿Es sobre uno de tus pedidos? Si es así, dime su número. "
        "Si no, puedo pasarte con una persona de nuestro equipo: solo di que sí.",
    )


def account(w: Wording) -> str:
    """Accounts, passwords, newsletters: what the agent can do instead, and a person."""
    return w.say(
        "I can't help with accounts, passwords or newsletters here: I can tell you where an "
        f"order is, its tracking and when it should arrive. {offer_person(w)}",
        "Aquí no puedo ayudarte con cuentas, contraseñas ni boletines: puedo decirte dónde "
        f"está un pedido, su seguimiento y cuándo debería llegar. {offer_person(w)}",
    )


def anything_else(w: Wording) -> str:
    return w.say("Is there anything else I can help with?", "¿Puedo ayudarte en algo más?")


def declined(w: Wording) -> str:
    return w.say("No problem. ", "De acuerdo. ") + anything_else(w)


def thanks(w: Wording, ask: str | None = None) -> str:
    """`ask`: what the dialogue still waits for, asked again after the thanks."""
    return w.say("You're welcome! ", "¡De nada! ") + (ask or anything_else(w))


def goodbye(w: Wording) -> str:
    return w.say("Thanks for getting in touch. Goodbye!", "Gracias por escribirnos. ¡Hasta pronto!")


def already_handed_off(w: Wording) -> str:
    return w.say(
        "I've already asked a person from our team to help. They'll reply here.",
        "Ya he pedido ayuda a una persona de nuestro equipo. Te responderá aquí.",
    )


_SORRY = {
    "damaged": ("I'm sorry your order arrived damaged.", "Siento que tu pedido llegara dañado."),
    "wrong_item": (
        "I'm sorry you received the wrong item.",
        "Siento que recibieras un artículo equivocado.",
    ),
    "delayed": ("I'm sorry for the delay.", "Siento el retraso."),
    "lost": ("I'm sorry it hasn't reached you.", "Siento que no te haya llegado."),
    "failed_delivery": (
        "I'm sorry the delivery didn't work out.",
        "Siento que la entrega no saliera bien.",
    ),
    "negative_sentiment": ("I'm sorry for the trouble.", "Siento las molestias."),
    "misunderstanding": (
        "I'm sorry I'm not getting this right.",
        "Siento no estar entendiéndote bien.",
    ),
}


def handoff(
    w: Wording,
    reason: str,
    voice: bool,
    transfer: bool,
    with_order: bool,
    closed: str | None = None,
) -> str:
    """What happens next, after a handoff was made; `closed` says when the team is back,
    outside the agent's hours."""
    sorry = w.say(*_SORRY[reason]) if reason in _SORRY else ""
    passed = w.say(
        "I've passed this to a person on our team"
        + (" with your order details" if with_order else ""),
        "Le he pasado esto a una persona de nuestro equipo"
        + (" con los datos de tu pedido" if with_order else ""),
    )
    if closed is not None:
        nxt = f"{passed}. {closed}"
    elif voice and transfer:
        nxt = w.say(
            "I'm transferring you to a person on our team now.",
            "Te paso ahora con una persona de nuestro equipo.",
        )
    elif voice:
        nxt = passed + w.say(", and they'll get back to you.", ", y te contactará.")
    else:
        nxt = passed + w.say(
            ". They'll reply here as soon as they can.", ". Te responderá aquí en cuanto pueda."
        )
    return f"{sorry} {nxt}".strip()


def closed(policy: AgentPolicy, now: datetime, voice: bool) -> str:
    """Outside the agent's hours: the merchant's own words, else when the team is back."""
    if policy.after_hours_message.strip():
        return policy.after_hours_message.strip()
    assert policy.hours is not None  # closed implies hours
    w = policy.wording
    back = policy.hours.next_opening(now)
    local = back.astimezone(policy.hours.zone)
    dates = Dates(policy.hours.zone, now, w.day_first, w.language)
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    when = w.say(
        f"{dates.day(back)} at {clock}".replace(":00 ", " "),
        f"{dates.on(back)} a las {local.hour}:{local.minute:02d}",
    )
    if policy.after_hours_action == TAKE_MESSAGE:
        return w.say(
            "Our team is away right now, so I've taken a message: they'll "
            f"{'call you back' if voice else 'reply here'} {when}.",
            "Nuestro equipo no está ahora, así que he tomado nota: te "
            f"{'llamarán' if voice else 'responderán aquí'} {when}.",
        )
    return w.say(
        f"Our team is away right now; they're back {when} and will reply then.",
        f"Nuestro equipo no está ahora; vuelve {when} y te responderá entonces.",
    )


# -- outside the brain: the conversation service's own lines --------------------------------


def passed_on(w: Wording) -> str:
    """A customer writing while a person has the conversation: their words went to them."""
    return w.say(
        "Thanks, I've passed that on. A member of our team has your conversation and will "
        "reply here.",
        "Gracias, se lo he hecho llegar. Una persona de nuestro equipo tiene tu conversación "
        "y te responderá aquí.",
    )


def failed_turn(w: Wording) -> str:
    """A turn the brain could not answer (a bug): an apology, never a crash."""
    return w.say(
        "Sorry, something went wrong on my side. Could you say that again, or ask for a person?",
        "Perdona, algo ha fallado por mi parte. ¿Puedes repetirlo, o pedir hablar con una persona?",
    )
