"""Writing a ticket from its fault's footprint on the sample.

Every quantity a ticket states goes through a ``Writer``: it reads the fact from the
footprint, phrases it at the difficulty's level of detail (easy: exact figures; medium:
rounded figures; hard: vaguer words that are still true, "about a fifth of the cards"),
and keeps the claim those words make, so that the self-check and the tests can prove
it against the sample. Difficulty sets how much a ticket says, never whether it is true.
"""
from __future__ import annotations

import math

from faultline.exercises.base import Claim, Difficulty, Footprint, SampleFacts, Ticket

# Hard tickets' shares: (low, high, words); contiguous, so every share has exactly one.
_SHARES: tuple[tuple[float, float, str], ...] = (
    (0.0, 0.0075, "fewer than one in a hundred {noun}"),
    (0.0075, 0.015, "about one in a hundred {noun}"),
    (0.015, 0.03, "about one in fifty {noun}"),
    (0.03, 0.045, "about one in thirty {noun}"),
    (0.045, 0.075, "about one in twenty {noun}"),
    (0.075, 0.125, "about one in ten {noun}"),
    (0.125, 0.175, "about one in seven {noun}"),
    (0.175, 0.225, "about a fifth of the {noun}"),
    (0.225, 0.29, "about a quarter of the {noun}"),
    (0.29, 0.4, "about a third of the {noun}"),
    (0.4, 0.6, "about half of the {noun}"),
    (0.6, 0.72, "about two thirds of the {noun}"),
    (0.72, 0.85, "about three quarters of the {noun}"),
    (0.85, 0.97, "most of the {noun}"),
    (0.97, 0.99999, "nearly all the {noun}"),
    (0.99999, 1.0, "all the {noun}"),
)
# Hard tickets' relative changes, by size: (low, high, words).
_CHANGES: tuple[tuple[float, float, str], ...] = (
    (0.0, 0.01, "by less than 1%"),
    (0.01, 0.05, "by 1 to 5%"),
    (0.05, 0.15, "by 5 to 15%"),
    (0.15, 0.5, "by 15 to 50%"),
    (0.5, 1.0, "by more than half"),
)
# Hard tickets' factors (a ratio or its inverse, at least 1): (low, high, words).
_FACTORS: tuple[tuple[float, float, str], ...] = (
    (1.0, 1.5, "less than one and a half times"),
    (1.5, 3.5, "two to three times"),
    (3.5, 8.0, "several times"),
    (8.0, 80.0, "an order of magnitude"),
    (80.0, 800.0, "two orders of magnitude"),
    (800.0, math.inf, "three orders of magnitude or more"),
)


def _significant(value: float, digits: int = 2) -> tuple[float, float, str]:
    """``value`` rounded to ``digits`` significant figures: (rounded, half a step, text)."""
    exponent = math.floor(math.log10(abs(value))) if value else 0
    decimals = max(0, digits - 1 - exponent)
    rounded = round(value, digits - 1 - exponent)
    return rounded, 0.5 * 10.0 ** (exponent - digits + 1), f"{rounded:,.{decimals}f}"


class Writer:
    """Phrases a footprint's facts at one difficulty and records what the words claim."""

    def __init__(self, difficulty: Difficulty, facts: SampleFacts) -> None:
        if facts.footprint is None:
            raise ValueError("a ticket needs its fault's footprint on the sample")
        self.difficulty = difficulty
        self.footprint: Footprint = facts.footprint
        self.claims: list[Claim] = []

    # -- reading facts --------------------------------------------------------------------

    def has(self, fact: str) -> bool:
        return self.footprint.get(fact) is not None

    def number(self, fact: str) -> float:
        return float(self.footprint[fact])

    def text(self, fact: str) -> str:
        return str(self.footprint[fact])

    def claim(self, fact: str, low: float | str, high: float | str, words: str) -> str:
        """Record that ``words`` state ``low <= fact <= high``; returns the words."""
        self.claims.append(Claim(fact, low, high, words))
        return words

    # -- phrasing ---------------------------------------------------------------------------

    def share(self, share: str, count: str, total: str, noun: str) -> str:
        """How many of ``noun`` the fact ``share`` (= ``count`` / ``total``) covers."""
        value = self.number(share)
        if self.difficulty == "easy":
            n, of = int(self.number(count)), int(self.number(total))
            words = f"{n:,} of {of:,} {noun}"
            self.claim(total, of, of, words)
            return self.claim(count, n, n, words)
        if self.difficulty == "medium":
            if value >= 0.99999:
                return self.claim(share, 0.99999, 1.0, f"all {noun}")
            percent = value * 100
            if percent >= 9.5:
                n = round(percent)
                return self.claim(share, (n - 0.5) / 100, (n + 0.5) / 100, f"about {n}% of {noun}")
            if percent >= 0.95:
                p = round(percent, 1)
                return self.claim(share, (p - 0.05) / 100, (p + 0.05) / 100, f"about {p:.1f}% of {noun}")
            return self.claim(share, 0.0, 0.01, f"under 1% of {noun}")
        for low, high, words in _SHARES:
            if low <= value <= high:
                return self.claim(share, low, high, words.format(noun=noun))
        raise ValueError(f"{share} = {value} is no share")

    def entities(self, noun: str) -> str:
        return self.share("entities.share", "entities.affected", "entities", noun)

    def rows(self, noun: str) -> str:
        return self.share("rows.share", "rows.affected", "rows", noun)

    def column_rows(self, column: str, noun: str) -> str:
        return self.share(f"{column}.share", f"{column}.rows", "rows", noun)

    def column_entities(self, column: str, noun: str) -> str:
        return self.share(f"{column}.entities.share", f"{column}.entities", "entities", noun)

    def change(self, fact: str, more: str, less: str) -> str:
        """A relative change of a total: "4.3% lower" (easy), "about 4% lower", "lower by 1 to 5%"."""
        value = self.number(fact)
        word = more if value > 0 else less
        size = abs(value)
        if value >= 1.0:  # more than doubled: say it as a multiple
            factor = 1.0 + value
            if self.difficulty == "hard":
                return self.claim(fact, 1.0, math.inf, f"more than twice as {more}")
            if self.difficulty == "easy":
                words = f"{factor:.3g} times as {more}"
                return self.claim(fact, factor * 0.995 - 1, factor * 1.005 - 1, words)
            rounded, half, shown = _significant(factor)
            return self.claim(fact, rounded - half - 1, rounded + half - 1, f"about {shown} times as {more}")
        sign = 1.0 if value > 0 else -1.0

        def bounds(low: float, high: float) -> tuple[float, float]:
            return (low, high) if sign > 0 else (-high, -low)

        if self.difficulty == "easy":
            p = round(size * 100, 1)
            return self.claim(fact, *bounds((p - 0.05) / 100, (p + 0.05) / 100), f"{p:.1f}% {word}")
        if self.difficulty == "medium":
            if size * 100 >= 9.5:
                n = round(size * 100)
                return self.claim(fact, *bounds((n - 0.5) / 100, (n + 0.5) / 100), f"about {n}% {word}")
            p = round(size * 100, 1)
            return self.claim(fact, *bounds(max(0.0, p - 0.05) / 100, (p + 0.05) / 100), f"about {p:.1f}% {word}")
        for low, high, words in _CHANGES:
            if low <= size <= high:
                return self.claim(fact, *bounds(low, high), f"{word} {words}")
        raise ValueError(f"{fact} = {value} is no change")

    def ratio(self, fact: str) -> str:
        """A ratio of the fault's value to the true one: "100 times smaller", "2.59 times larger"."""
        value = self.number(fact)
        smaller = value < 1.0
        factor = 1.0 / value if smaller else value
        word = "smaller" if smaller else "larger"

        def bounds(low: float, high: float) -> tuple[float, float]:
            return (1.0 / high, 1.0 / low) if smaller else (low, high)

        if self.difficulty == "easy":
            shown = f"{factor:.3g}"
            return self.claim(fact, *bounds(factor * 0.995, factor * 1.005), f"{shown} times {word}")
        if self.difficulty == "medium":
            rounded, half, shown = _significant(factor)
            return self.claim(fact, *bounds(rounded - half, rounded + half), f"about {shown} times {word}")
        for low, high, words in _FACTORS:
            if low <= factor <= high:
                return self.claim(fact, *bounds(low, high), f"{words} {word}")
        raise ValueError(f"{fact} = {value} is no ratio")

    def date(self, fact: str) -> str:
        value = self.text(fact)
        return self.claim(fact, value, value, value)

    def exactly(self, fact: str, words: str) -> str:
        """``words`` state the fact's present value exactly (a direction, a count)."""
        value = self.footprint[fact]
        return self.claim(fact, value, value, words)

    def direction(self, column: str, **words: str) -> str:
        """The words for the column's direction ("up", "down", "mixed", "emptied", "filled")."""
        fact = f"{column}.direction"
        return self.exactly(fact, words[self.text(fact)])

    def days(self) -> str:
        """Which days of the export the fault touches, as precisely as the difficulty says."""
        affected, window = int(self.number("days.affected")), int(self.number("days"))
        if affected == window:
            return self.claim("days.share", 1.0, 1.0, "every day of the export")
        first, last = self.text("days.first"), self.text("days.last")
        if affected == 1:
            self.claim("days.affected", 1, 1, f"on {first}")
            return self.claim("days.first", first, first, f"on {first}")
        if self.difficulty == "easy":
            words = f"on {affected} of the {window} days, from {first} to {last}"
            self.claim("days", window, window, words)
        elif self.difficulty == "medium":
            words = f"on {affected} days from {first} to {last}"
        else:
            share = affected / window
            words = "on most days" if share >= 0.5 else "on some days"
            return self.claim("days.share", 0.5 if share >= 0.5 else 0.0, 1.0 if share >= 0.5 else 0.5, words)
        self.claim("days.affected", affected, affected, words)
        self.claim("days.first", first, first, words)
        return self.claim("days.last", last, last, words)

    def ticket(self, text: str) -> Ticket:
        return Ticket(text=" ".join(text.split()), claims=tuple(self.claims))
