"""`python -m frontends.voice`: phone calls (SIP) into the core's Converse, a process of its own.

    python -m frontends.voice --core ADDRESS [--host H] [--port P] [--advertised-host A]

Settings from the environment:
- FLOWYTE_VOICE_KEY (required): the voice frontend's own secret key. It must hold
  `calls:caller_id` (the caller numbers it sends count as the caller's identity) and
  `chat:write`; make one with
  `flowyte keys create --org ORG --name voice --scopes calls:caller_id,chat:write`.
  It reaches the numbers of that key's organization; `flowyte serve` makes one at start.
- FLOWYTE_SIP_HOST / FLOWYTE_SIP_PORT: where SIP listens, UDP and TCP on one port
  (default 127.0.0.1:5070, beside a PBX's usual 5060); RTP binds to the same host.
- FLOWYTE_SIP_TRUNKS: the addresses or networks whose INVITEs are admitted, comma-separated
  (default 127.0.0.1; empty: none, only digest credentials).
- FLOWYTE_SIP_CREDENTIALS: `user:password,…` for trunks that authenticate by digest.
- FLOWYTE_VOICE_SPEECH=off: do not start the speech engines.
Once it answers it writes `READY {"role": "voice", "sip": "HOST:PORT"}` to stdout.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from flowyte.argtypes import port, port_setting
from flowyte.client import channel_target
from frontends.common.process import run_frontend, serve_until_stopped
from frontends.voice.server import VoiceHandle, VoiceSettings, start_voice

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5070
DEFAULT_TRUNKS = "127.0.0.1"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m frontends.voice",
        description="Flowyte's phone calls (a SIP endpoint) in front of a core.",
    )
    parser.add_argument("--core", required=True, action="append", metavar="ADDRESS")
    parser.add_argument("--host", default=None, help=f"SIP bind address ({DEFAULT_HOST})")
    parser.add_argument(
        "--port",
        type=port,
        default=None,
        help=f"SIP port, UDP and TCP, 0 for any free one (env FLOWYTE_SIP_PORT; {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--advertised-host",
        default=None,
        help="the address callers reach us at, behind NAT (default: the bind address)",
    )
    return parser


def settings_from_env(args: argparse.Namespace) -> VoiceSettings:
    key = os.environ.get("FLOWYTE_VOICE_KEY", "").strip()
    if not key:
        raise ValueError(
            "FLOWYTE_VOICE_KEY is not set: give the voice frontend its own secret key "
            "(scopes calls:caller_id,chat:write)"
        )
    cores = ",".join(args.core)
    channel_target(cores)
    trunks = os.environ.get("FLOWYTE_SIP_TRUNKS", DEFAULT_TRUNKS)
    speech = os.environ.get("FLOWYTE_VOICE_SPEECH", "on").lower() not in ("off", "0", "no")
    if speech and importlib.util.find_spec("onnxruntime") is None:
        raise ValueError(
            "the speech engines need the voice extra (pip install -e '.[voice]'); "
            "without it use `flowyte serve --no-voice`, or FLOWYTE_VOICE_SPEECH=off"
        )
    return VoiceSettings(
        core=cores,
        api_key=key,
        host=args.host or os.environ.get("FLOWYTE_SIP_HOST") or DEFAULT_HOST,
        port=port_setting(args.port, "FLOWYTE_SIP_PORT", DEFAULT_PORT),
        advertised_host=args.advertised_host,
        trunks=tuple(t.strip() for t in trunks.split(",") if t.strip()),
        credentials=_credentials(os.environ.get("FLOWYTE_SIP_CREDENTIALS", "")),
        speech=speech,
    )


def _credentials(text: str) -> dict[str, str]:
    credentials = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        user, sep, password = pair.partition(":")
        if not sep or not user or not password:
            raise ValueError("FLOWYTE_SIP_CREDENTIALS must be user:password pairs, comma-separated")
        credentials[user] = password
    return credentials


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def settings() -> Callable[[], Coroutine[Any, Any, int]]:
        voice = settings_from_env(args)
        return lambda: serve_until_stopped(lambda: start_voice(voice), _ready)

    return run_frontend("python -m frontends.voice", settings)


def _ready(voice: VoiceHandle) -> dict[str, Any]:
    return {"role": "voice", "sip": voice.sip_address}
