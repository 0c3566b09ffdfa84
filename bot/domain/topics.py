"""What people keep asking: the word pairs (else words) most questions share."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from bot.domain.scoring import content_terms
from index import fold, syllables


def top_topics(questions: Iterable[str], limit: int = 5) -> list[tuple[str, int]]:
    """The word pairs (else words) most questions share, as most often written."""
    pairs: Counter[str] = Counter()
    words: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for question in questions:
        written = syllables(question)
        folded = [fold(w) for w in written]
        content = set(content_terms(question, marked=False))  # alike however typed
        seen_pairs: dict[str, None] = {}  # ordered, so ties rank by first appearance
        seen_words: dict[str, None] = {}
        for (a, b), (fa, fb) in zip(itertools.pairwise(written), itertools.pairwise(folded),
                                    strict=True):
            if f"{fa}_{fb}" in content:
                seen_pairs[f"{fa} {fb}"] = None
                spelling.setdefault(f"{fa} {fb}", Counter())[f"{a} {b}"] += 1
        for w, fw in zip(written, folded, strict=True):
            if fw in content and len(fw) > 1:
                seen_words[fw] = None
                spelling.setdefault(fw, Counter())[w] += 1
        pairs.update(list(seen_pairs))
        words.update(list(seen_words))
    ranked = list(pairs.most_common())
    # A word is its own topic only when it is asked about more often than in any one pair.
    in_pairs: Counter[str] = Counter()
    for key, n in ranked:
        for word in key.split():
            in_pairs[word] = max(in_pairs[word], n)
    ranked += [(k, n) for k, n in words.most_common() if n > in_pairs[k]]
    ranked.sort(key=lambda item: (-item[1], -len(item[0].split())))
    return [(spelling[k].most_common(1)[0][0], n) for k, n in ranked[:limit]]
