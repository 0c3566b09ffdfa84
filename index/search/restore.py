"""Put diacritics back on a question typed without them, from the corpus's own spelling.

The embedding model cannot read `huan chuong lao dong`; it reads `huân chương lao động`. Every
folded syllable pair in the corpus remembers its most frequent accented spelling, so restoring
a question is a left-to-right walk that prefers pairs the corpus uses.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from index.text import fold, syllables


class DiacriticRestorer:
    """Folded -> accented spellings learned from the indexed passages."""

    def __init__(self, texts: Iterable[str]) -> None:
        unigrams: defaultdict[str, Counter[str]] = defaultdict(Counter)
        bigrams: defaultdict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
        folds: dict[str, str] = {}
        for text in texts:
            words = syllables(text)
            folded = [folds.get(w) or folds.setdefault(w, fold(w)) for w in words]
            for word, key in zip(words, folded, strict=True):
                unigrams[key][word] += 1
            for i in range(len(words) - 1):
                bigrams[(folded[i], folded[i + 1])][(words[i], words[i + 1])] += 1
        self._unigram = {key: counts.most_common(1)[0][0] for key, counts in unigrams.items()}
        self._bigrams = {key: counts for key, counts in bigrams.items()}

    def restore(self, text: str) -> str:
        """The question with the corpus's most likely diacritics; unknown words stay as typed."""
        folded = [fold(w) for w in syllables(text)]
        restored: list[str] = []
        for i, key in enumerate(folded):
            choice = self._unigram.get(key, key)
            after = self._bigrams.get((key, folded[i + 1])) if i + 1 < len(folded) else None
            before = self._bigrams.get((folded[i - 1], key)) if i > 0 else None
            if before is not None:
                # Agree with the spelling already chosen for the previous syllable.
                fitting = Counter({pair[1]: n for pair, n in before.items()
                                   if pair[0] == restored[-1]})
                if fitting:
                    choice = fitting.most_common(1)[0][0]
                elif after is not None:
                    choice = after.most_common(1)[0][0][0]
            elif after is not None:
                choice = after.most_common(1)[0][0][0]
            restored.append(choice)
        return " ".join(restored)
