"""Resource ids sort in the order they were made, which paging by id relies on."""

from __future__ import annotations

from core.domain.ids import new_id


def test_ids_made_in_one_millisecond_still_sort_in_order() -> None:
    made = [new_id("agent") for _ in range(2000)]  # far more than one per millisecond
    assert sorted(made) == made
    assert len(set(made)) == len(made)
    assert all(i.startswith("agt_") and len(i) == 30 for i in made)
