"""The automatic assignment on random editions (hypothesis): the conflict rule always holds,
every dilemma gets its reviewers where the conflict rule leaves enough experts, the loads stay
balanced, editors' choices stay, and themes decide among equals."""

from hypothesis import given, settings
from hypothesis import strategies as st

from academy.assignment import Person, Submission, assign, in_conflict, loads, theme_match

CITIES = ["Mechelen", "Lisbon", "Stockholm", "Prato", "Warsaw"]
ORGANISATIONS = ["City", "University", "NGO", "Region", ""]
THEMES = st.frozensets(st.integers(1, 5), max_size=3)


@st.composite
def editions(draw, *, conflicts=True):
    """Experts and dilemmas with cities and organisations from small pools, so that conflicts
    are frequent (or, with `conflicts=False`, impossible)."""
    expert_count = draw(st.integers(1, 8))
    dilemma_count = draw(st.integers(0, 15))
    experts = [
        Person(
            id=100 + i,
            city=draw(st.sampled_from(CITIES)) if conflicts else f"Expert town {i}",
            organisation=draw(st.sampled_from(ORGANISATIONS)) if conflicts else f"Lab {i}",
            themes=draw(THEMES),
        )
        for i in range(expert_count)
    ]
    dilemmas = [
        Submission(
            id=1 + i,
            submitter_id=draw(st.sampled_from([e.id for e in experts] + [900 + i]))
            if conflicts
            else 900 + i,
            city=draw(st.sampled_from(CITIES)) if conflicts else f"Dilemma town {i}",
            organisation=draw(st.sampled_from(ORGANISATIONS)) if conflicts else f"Council {i}",
            themes=draw(THEMES),
        )
        for i in range(dilemma_count)
    ]
    per_dilemma = draw(st.integers(1, 4))
    fixed = []
    if dilemmas and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 4))):
            dilemma = draw(st.sampled_from(dilemmas))
            allowed = [e for e in experts if not in_conflict(e, dilemma)]
            if allowed:
                fixed.append((dilemma.id, draw(st.sampled_from(allowed)).id))
    return dilemmas, experts, per_dilemma, sorted(set(fixed))


def _all_loads(result, experts):
    counted = loads(result)
    return {e.id: counted.get(e.id, 0) for e in experts}


@settings(max_examples=300, deadline=None)
@given(editions())
def test_never_an_expert_in_conflict_and_every_dilemma_gets_what_it_can(edition):
    dilemmas, experts, per_dilemma, fixed = edition
    result = assign(dilemmas, experts, per_dilemma, fixed=fixed)
    by_id = {e.id: e for e in experts}
    assert set(result) == {d.id for d in dilemmas}
    for dilemma in dilemmas:
        chosen = result[dilemma.id]
        assert all(not in_conflict(by_id[e], dilemma) for e in chosen)
        eligible = sum(1 for e in experts if not in_conflict(e, dilemma))
        fixed_here = sum(1 for d, _e in fixed if d == dilemma.id)
        assert len(chosen) == max(min(per_dilemma, eligible), fixed_here)
    assert set(fixed) <= {(d, e) for d, chosen in result.items() for e in chosen}


@settings(max_examples=300, deadline=None)
@given(editions())
def test_no_expert_two_above_another_who_could_take_one_of_their_dilemmas(edition):
    dilemmas, experts, per_dilemma, fixed = edition
    result = assign(dilemmas, experts, per_dilemma, fixed=fixed)
    load = _all_loads(result, experts)
    fixed_pairs = set(fixed)
    by_dilemma = {d.id: d for d in dilemmas}
    for dilemma_id, chosen in result.items():
        for heavy in chosen:
            if (dilemma_id, heavy) in fixed_pairs:
                continue
            for light in experts:
                could_take = light.id not in chosen and not in_conflict(
                    light, by_dilemma[dilemma_id]
                )
                assert not (could_take and load[heavy] >= load[light.id] + 2), (
                    f"expert {heavy} has {load[heavy]}, expert {light.id} has {load[light.id]} "
                    f"and could take dilemma {dilemma_id}"
                )


@settings(max_examples=300, deadline=None)
@given(editions(conflicts=False).filter(lambda e: not e[3]))
def test_without_conflicts_no_expert_has_more_than_one_above_another(edition):
    dilemmas, experts, per_dilemma, _fixed = edition
    result = assign(dilemmas, experts, per_dilemma)
    load = _all_loads(result, experts)
    assert max(load.values()) - min(load.values()) <= 1
    total = sum(min(per_dilemma, len(experts)) for _ in dilemmas)
    assert sum(load.values()) == total


@settings(max_examples=100, deadline=None)
@given(editions())
def test_the_same_edition_gives_the_same_assignment(edition):
    dilemmas, experts, per_dilemma, fixed = edition
    first = assign(dilemmas, experts, per_dilemma, fixed=fixed)
    again = assign(list(reversed(dilemmas)), list(reversed(experts)), per_dilemma, fixed=fixed)
    assert first == again


def test_experts_whose_themes_match_come_first():
    housing, schools = 1, 2
    experts = [
        Person(id=1, city="A", themes=frozenset({schools})),
        Person(id=2, city="B", themes=frozenset({housing})),
        Person(id=3, city="C", themes=frozenset()),
        Person(id=4, city="D", themes=frozenset({housing, schools})),
    ]
    dilemmas = [
        Submission(id=10, submitter_id=99, city="X", themes=frozenset({housing})),
        Submission(id=11, submitter_id=98, city="Y", themes=frozenset({schools})),
    ]
    result = assign(dilemmas, experts, 2)
    assert result[10] == {2, 4}
    assert result[11] == {1, 3} or result[11] == {1, 4}
    assert all(theme_match(e, dilemmas[0]) for e in experts if e.id in result[10])


def test_the_conflict_rule_ignores_case_and_spaces_but_not_empty_fields():
    dilemma = Submission(id=1, submitter_id=5, city="Mechelen", organisation="")
    assert in_conflict(Person(id=2, city=" mechelen "), dilemma)
    assert in_conflict(Person(id=5), dilemma)  # their own
    assert not in_conflict(Person(id=3, city="Leuven", organisation=""), dilemma)
    assert in_conflict(
        Person(id=4, organisation="KU Leuven"), Submission(1, 6, "Ghent", "ku leuven")
    )


def test_fewer_eligible_experts_than_wanted_gives_all_of_them():
    experts = [Person(id=1, city="Mechelen"), Person(id=2, city="Lisbon")]
    dilemma = Submission(id=1, submitter_id=9, city="Mechelen")
    assert assign([dilemma], experts, 3) == {1: {2}}
