"""Which experts review which dilemmas: the automatic assignment, alone and pure.

The rules, in the order they bind:

1. **The conflict rule.** An expert never reviews a dilemma from their own city or their own
   organisation (compared without letter case or surrounding spaces), nor their own.
2. **Enough reviewers.** Each dilemma gets `per_dilemma` experts, or every expert it may have
   when fewer are free of conflict.
3. **Balanced loads.** No expert reviews more than one dilemma more than another, wherever the
   conflict rule leaves a choice: the result never has an expert two or more above another
   who could take one of their dilemmas instead.
4. **Themes.** Among the experts that keep the loads balanced, those whose themes match the
   dilemma's come first.

Assignments an editor made by hand (`fixed`) are kept as they are and count in the loads.

The algorithm is greedy, then repairs: dilemmas with the fewest eligible experts choose first
(they have the least room), each taking the least-loaded eligible experts, best theme match
first among equals. Then, while some expert is two or more above another who could take one of
their automatic dilemmas, that dilemma moves: each move lowers the sum of the squared loads, so
the repair ends. `tests/academy/test_assignment.py` checks the rules on random editions
(hypothesis).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """Who someone is, as far as the conflict rule and the themes are concerned."""

    id: int
    city: str = ""
    organisation: str = ""
    themes: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Submission:
    """A dilemma, as the assignment sees it."""

    id: int
    submitter_id: int
    city: str = ""
    organisation: str = ""
    themes: frozenset[int] = field(default_factory=frozenset)


def _same(a: str, b: str) -> bool:
    a, b = a.strip().casefold(), b.strip().casefold()
    return bool(a) and a == b


def in_conflict(expert: Person, dilemma: Submission) -> bool:
    """Whether the expert may not review the dilemma (rule 1)."""
    return (
        expert.id == dilemma.submitter_id
        or _same(expert.city, dilemma.city)
        or _same(expert.organisation, dilemma.organisation)
    )


def theme_match(expert: Person, dilemma: Submission) -> int:
    return len(expert.themes & dilemma.themes)


def assign(
    dilemmas: Iterable[Submission],
    experts: Iterable[Person],
    per_dilemma: int,
    fixed: Iterable[tuple[int, int]] = (),
) -> dict[int, set[int]]:
    """Experts for every dilemma: `{dilemma id: {expert id, ...}}`, the fixed pairs included.

    `fixed` are `(dilemma id, expert id)` pairs an editor chose; they are kept even when the
    dilemma then has more than `per_dilemma` experts, and they never move.
    """
    dilemmas = sorted(dilemmas, key=lambda d: d.id)
    experts = sorted(experts, key=lambda e: e.id)
    by_id = {expert.id: expert for expert in experts}
    eligible = {d.id: [e for e in experts if not in_conflict(e, d)] for d in dilemmas}
    result: dict[int, set[int]] = {d.id: set() for d in dilemmas}
    load = {e.id: 0 for e in experts}
    fixed_pairs = {(d, e) for d, e in fixed if d in result}
    for dilemma_id, expert_id in fixed_pairs:
        result[dilemma_id].add(expert_id)
        if expert_id in load:
            load[expert_id] += 1

    # Rule 2, greedily: the dilemmas with the least room choose first.
    for dilemma in sorted(dilemmas, key=lambda d: (len(eligible[d.id]), d.id)):
        chosen = result[dilemma.id]
        candidates = [e for e in eligible[dilemma.id] if e.id not in chosen]
        candidates.sort(key=lambda e: (load[e.id], -theme_match(e, dilemma), e.id))
        for expert in candidates[: max(0, per_dilemma - len(chosen))]:
            chosen.add(expert.id)
            load[expert.id] += 1

    # Rule 3, by repair.
    dilemma_by_id = {d.id: d for d in dilemmas}
    while True:
        move = _improving_move(result, load, dilemma_by_id, by_id, fixed_pairs)
        if move is None:
            break
        dilemma_id, from_id, to_id = move
        result[dilemma_id].discard(from_id)
        result[dilemma_id].add(to_id)
        load[from_id] -= 1
        load[to_id] += 1
    return result


def _improving_move(result, load, dilemmas, experts, fixed_pairs):
    """A dilemma that an expert two or more above another could hand over to them: the one
    that loses the least theme match. None when the loads are balanced (rule 3)."""
    best = None
    for dilemma_id, chosen in result.items():
        dilemma = dilemmas[dilemma_id]
        for from_id in chosen:
            if (dilemma_id, from_id) in fixed_pairs or from_id not in experts:
                continue
            for to_id, expert in experts.items():
                if (
                    load[from_id] < load[to_id] + 2
                    or to_id in chosen
                    or in_conflict(expert, dilemma)
                ):
                    continue
                key = (
                    # The biggest gap first, then the move that keeps the best theme match.
                    load[to_id] - load[from_id],
                    theme_match(experts[from_id], dilemma) - theme_match(expert, dilemma),
                    dilemma_id,
                    from_id,
                    to_id,
                )
                if best is None or key < best[0]:
                    best = (key, (dilemma_id, from_id, to_id))
    return None if best is None else best[1]


def loads(result: dict[int, set[int]]) -> dict[int, int]:
    """How many dilemmas each expert in `result` reviews."""
    counts: dict[int, int] = {}
    for chosen in result.values():
        for expert_id in chosen:
            counts[expert_id] = counts.get(expert_id, 0) + 1
    return counts
