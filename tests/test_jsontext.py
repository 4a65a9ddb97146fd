"""core.jsontext: the fast JSON of a turn keeps what the standard library's did."""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest

from core import jsontext
from core.domain.conversations import json_safe


@dataclasses.dataclass
class Parcel:
    weight: int


ODD_VALUES = {
    "when": datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.UTC),
    "day": datetime.date(2026, 11, 30),
    "parcel": Parcel(2),
    7: "an integer key",
    "pair": (1, "two"),
    "wide": 2**70,
    "text": "Zoë's order #1004",
    "nested": {"list": [None, True, 1.5, {"deep": []}]},
}


def test_a_stored_payload_is_what_the_standard_library_made_of_it() -> None:
    assert json_safe(ODD_VALUES) == json.loads(json.dumps(ODD_VALUES, default=str))


def test_a_stored_payload_shares_nothing_with_the_original() -> None:
    original = {"nested": {"list": [1]}}
    copy = json_safe(original)
    copy["nested"]["list"].append(2)
    assert original == {"nested": {"list": [1]}}


def test_integers_wider_than_64_bits_stay_exact() -> None:
    assert jsontext.plain({"n": 2**70}) == {"n": 2**70}
    assert json.loads(jsontext.dumps({"n": -(2**80)})) == {"n": -(2**80)}


def test_text_is_json_any_parser_reads() -> None:
    for value in (ODD_VALUES["nested"], {"text": ODD_VALUES["text"]}, [1, "x", None]):
        assert json.loads(jsontext.dumps(value)) == value


def test_what_json_has_no_words_for_becomes_null() -> None:
    assert json.loads(jsontext.dumps({"x": float("nan"), "y": float("inf")})) == {
        "x": None,
        "y": None,
    }


def test_strict_reading_refuses_nan_and_the_lenient_one_reads_old_text() -> None:
    with pytest.raises(ValueError):
        jsontext.loads('{"x": NaN}')
    assert jsontext.loads_lenient('{"x": 1}') == {"x": 1}
    old = jsontext.loads_lenient('{"x": NaN}')
    assert old["x"] != old["x"]  # NaN, as json.loads read it


def test_what_no_encoder_can_write_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"x": object()})
