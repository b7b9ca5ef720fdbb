"""domain/merge.py: the three-way merge of a form's values after a version conflict."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.merge import Clash, fields_of, merge


def test_disjoint_changes_are_both_kept() -> None:
    base = {"name": "Ромашка", "comment": "", "region": 1}
    theirs = {"name": "Ромашка-Плюс", "comment": "", "region": 1}
    mine = {"name": "Ромашка", "comment": "звонить утром", "region": 1}
    result = merge(base, theirs, mine)
    assert result.clashes == ()
    assert result.merged == {"name": "Ромашка-Плюс", "comment": "звонить утром", "region": 1}
    assert result.mine_changed == ("comment",) and result.theirs_changed == ("name",)


def test_the_same_change_on_both_sides_is_no_clash() -> None:
    result = merge({"a": 1}, {"a": 2}, {"a": 2})
    assert result.clashes == () and result.merged == {"a": 2}


def test_different_changes_of_one_field_clash_and_are_picked() -> None:
    result = merge({"a": 1, "b": 1}, {"a": 2, "b": 5}, {"a": 3, "b": 1})
    assert result.clashes == (Clash("a", 2, 3, 1),)
    assert result.merged == {"a": 2, "b": 5}  # theirs until decided
    assert result.resolve(["mine"]) == {"a": 3, "b": 5}
    assert result.resolve(["theirs"]) == {"a": 2, "b": 5}


def test_a_pick_is_needed_for_every_clash() -> None:
    result = merge({"a": 1}, {"a": 2}, {"a": 3})
    try:
        result.resolve([])
    except ValueError:
        return
    raise AssertionError("resolve without picks must be refused")


def test_fields_the_form_does_not_edit_keep_their_value() -> None:
    result = merge({"a": 1}, {"a": 1, "posted": True}, {"a": 2})
    assert result.merged == {"a": 2, "posted": True}


def by_id(row: tuple[int, str]) -> int:
    return row[0]


def test_rows_merge_by_id() -> None:
    base = ((1, "call"), (2, "visit"), (3, "letter"))
    theirs = ((1, "call back"), (2, "visit"), (3, "letter"), (4, "theirs new"))
    mine = ((1, "call"), (3, "letter, registered"), (5, "my new"))  # 2 deleted
    result = merge({"tasks": base}, {"tasks": theirs}, {"tasks": mine}, {"tasks": by_id})
    assert result.clashes == ()
    assert result.merged["tasks"] == ((1, "call back"), (3, "letter, registered"),
                                      (4, "theirs new"), (5, "my new"))


def test_a_row_both_changed_clashes_alone() -> None:
    base = ((1, "a"), (2, "b"))
    theirs = ((1, "a2"), (2, "b2"))
    mine = ((1, "a3"), (2, "b"))
    result = merge({"t": base}, {"t": theirs}, {"t": mine}, {"t": by_id})
    assert [(c.theirs, c.mine) for c in result.clashes] == [((1, "a2"), (1, "a3"))]
    assert result.resolve(["mine"])["t"] == ((1, "a3"), (2, "b2"))


def test_a_row_they_deleted_and_i_changed_is_asked() -> None:
    result = merge({"t": ((1, "a"),)}, {"t": ()}, {"t": ((1, "mine"),)}, {"t": by_id})
    assert [(c.theirs, c.mine) for c in result.clashes] == [(None, (1, "mine"))]
    assert result.resolve(["theirs"])["t"] == ()
    assert result.resolve(["mine"])["t"] == ((1, "mine"),)


def test_rows_without_ids_are_added_and_removed() -> None:
    def same(row: Any) -> Any:
        return row

    base = ((50, 0), (50, 30))
    theirs = ((50, 0), (50, 30), (0, 60))
    mine = ((50, 0), (50, 45))  # an edited line: one removed, one added
    result = merge({"s": base}, {"s": theirs}, {"s": mine}, {"s": same})
    assert result.clashes == ()
    assert sorted(result.merged["s"]) == [(0, 60), (50, 0), (50, 45)]


def test_fields_of_a_dataclass() -> None:
    from crm_tui.domain.agreements import AgreementDraft

    draft = AgreementDraft(name="x", kind="typical")
    assert fields_of(draft)["name"] == "x"
    assert set(fields_of(draft, ["name", "kind"])) == {"name", "kind"}


values = st.dictionaries(st.sampled_from("abcde"), st.integers(0, 3), min_size=5, max_size=5)


@given(values, values, values)
def test_merge_laws(base: dict[str, int], theirs: dict[str, int], mine: dict[str, int]) -> None:
    result = merge(base, theirs, mine)
    for name in base:
        clashed = any(c.field == name for c in result.clashes)
        if mine[name] == base[name]:
            assert result.merged[name] == theirs[name] and not clashed  # only theirs
        elif theirs[name] == base[name] or theirs[name] == mine[name]:
            assert result.merged[name] == mine[name] and not clashed  # only mine
        else:
            assert clashed  # both changed it differently: asked
    picked = result.resolve(["mine"] * len(result.clashes))
    assert all(picked[n] == (mine[n] if mine[n] != base[n] else theirs[n]) for n in base)


rows = st.lists(st.tuples(st.integers(0, 5), st.sampled_from("xyz")), max_size=6,
                unique_by=lambda r: r[0]).map(tuple)


@given(rows, rows, rows)
def test_row_merge_laws(base: tuple[Any, ...], theirs: tuple[Any, ...],
                        mine: tuple[Any, ...]) -> None:
    result = merge({"t": base}, {"t": theirs}, {"t": mine}, {"t": by_id})
    merged = dict(result.resolve(["mine"] * len(result.clashes))["t"])
    b, t, m = dict(base), dict(theirs), dict(mine)
    for key in set(b) | set(t) | set(m):
        if m.get(key) == b.get(key):
            assert merged.get(key) == t.get(key)  # untouched by me: theirs
        else:
            assert merged.get(key) == m.get(key)  # changed by me (and picked): mine
    assert len(merged) == len(result.resolve(["mine"] * len(result.clashes))["t"])
