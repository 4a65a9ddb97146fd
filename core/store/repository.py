"""Queries shared by every resource: organization scoping and id-keyed paging.

Every read goes through `owned`, so a row of another organization is simply not found:
the caller cannot tell it from a row that never existed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain.errors import NotFound

Row = TypeVar("Row")


async def owned(
    session: AsyncSession, model: type[Row], org_id: str, row_id: str, what: str
) -> Row:
    row = await session.get(model, row_id)
    if row is None or getattr(row, "org_id", None) != org_id:
        raise NotFound(what)
    return row


async def page(
    session: AsyncSession,
    query: Select[Any],
    key_column: Any,
    after: Any,
    size: int,
    *,
    descending: bool = False,
) -> tuple[list[Any], Any]:
    """Rows ordered by a unique key, starting past the cursor; the last key is the next
    cursor when more remain (None on the last page)."""
    if after is not None and after != "":
        query = query.where(key_column < after if descending else key_column > after)
    order = key_column.desc() if descending else key_column
    rows = list((await session.scalars(query.order_by(order).limit(size + 1))).all())
    if len(rows) > size:
        rows = rows[:size]
        return rows, getattr(rows[-1], key_column.key)
    return rows, None


def org_query(model: Any, org_id: str) -> Select[Any]:
    return select(model).where(model.org_id == org_id)
