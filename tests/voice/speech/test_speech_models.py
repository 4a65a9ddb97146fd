"""Models come from installed packages, checked before they are read."""

from __future__ import annotations

import pytest

from frontends.voice.speech import ModelUnavailable
from frontends.voice.speech.models import (
    WHISPER_TINY_EN_SHA256,
    piper_voice_files,
    silero_vad_path,
    whisper_tiny_en_dir,
)


def test_the_pinned_whisper_model_passes_its_checksums() -> None:
    folder = whisper_tiny_en_dir()
    assert sorted(path.name for path in folder.iterdir() if path.is_file()) >= sorted(
        WHISPER_TINY_EN_SHA256
    )


def test_a_whisper_model_with_other_contents_is_refused_by_name() -> None:
    expected = dict(WHISPER_TINY_EN_SHA256, **{"config.json": "0" * 64})

    with pytest.raises(ModelUnavailable, match=r"config\.json has sha256 14b1b4"):
        whisper_tiny_en_dir(expected)


def test_a_missing_model_file_is_refused_by_name() -> None:
    with pytest.raises(ModelUnavailable, match=r"missing: .*absent\.bin"):
        whisper_tiny_en_dir({"absent.bin": "0" * 64})


def test_the_vad_and_the_voice_ship_inside_their_packages() -> None:
    assert silero_vad_path().name == "silero_vad_v6.onnx"
    model, config = piper_voice_files()
    assert model.suffix == ".onnx" and config.name == f"{model.name}.json"
