"""From a question to a short answer that quotes its sources, or an honest refusal.

The answer is one to three sentences of the best passages, verbatim. A sentence is chosen by
the question's rare words (names weigh most: a sentence about another district is no answer)
and, for close calls, by meaning. It must carry the kind of fact asked for (a number for "bao
nhiêu", a date for "khi nào"...), and every place and year the question names must be in the
article it comes from; otherwise the bot says the articles do not cover it. Greetings get a
friendly word, and a short follow-up is read with the subject of the question before it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace

import numpy as np

from bot.domain.asked import DAY, Asked, Kind, asked_for, carries, gives_a_reason
from bot.domain.chat_words import spelled_out
from bot.domain.followup import (
    asks_its_own,
    has_question_words,
    is_followup,
    names_given,
    own_words,
    resolve,
)
from bot.domain.provinces import provinces_named, provinces_of_site, tells_of_another
from bot.domain.qa_pages import answer_starts, in_the_story
from bot.domain.scoring import (
    Terms,
    content_terms,
    coverage,
    covered,
    folded_context,
    lower_case_places,
    numbered_names,
    place_names,
    places_named,
    proper_names,
    same_place,
)
from bot.domain.smalltalk import SmallTalk, small_talk_and_language
from bot.domain.timeframe import (
    asks_the_next,
    days_about,
    days_asked,
    months_about,
    months_asked,
    occasions,
    school_years,
    tells_what_is_coming,
    years_about,
    years_asked,
)
from bot.domain.titles import (
    names_someone,
    names_the_holder,
    speaks_of_a_deputy,
    titles_asked,
)
from bot.settings import BotSettings
from index import Citation, Hit, Index, Query, fold, nfc, split_sentences, syllables

PASSAGES_CONSIDERED = 3
SENTENCES_EMBEDDED = 4  # the model is the costly step: only the lexical front-runners
CLOSE_CALL = 0.15  # lexical scores this close to the best are a tie for meaning to break
# A sentence of a Q&A page's story (the citizen's question) weighs this share of its score.
STORY_FACTOR = 0.5
# A little for the passage's rank, so equal sentences keep the search's order.
RANK_BONUS = 0.05
# A sentence that leaves out a place the question names while another candidate has it.
OTHER_PLACE_FACTOR = 0.6
# Among equally good sentences, the newest article's wins when no year is asked.
RECENCY_BONUS = 0.03
# Meaning breaks close calls: how much it counts, by how well the model reads the question.
DENSE_WEIGHT = {"accented": 0.35, "unmarked": 0.15, "english": 0.5}
# Cosines within this of the best sentence's count as the same meaning (e5 crowds them).
DENSE_SPREAD = 0.05
# A sentence added to the quote must score this share of the best one...
COMPANION_SHARE = 0.75
# ...and, from another article, this much: two articles rarely answer one question together.
OTHER_ARTICLE_SHARE = 0.95
# A sentence of the same article this close to the best one is quoted too, though it adds no
# word of the question: the words and the model cannot tell which of the two answers.
NEAR_TIE_SHARE = 0.9
# Confidence: how much of the question the quote covers, and how far the passage stands
# above the question's typical cosine. The model's similarities count only where it reads the
# question well; for English they are the main evidence, since few words match literally.
CONFIDENCE_WEIGHTS = {"accented": (0.6, 0.4), "unmarked": (1.0, 0.0), "english": (0.5, 0.5)}
# The quote must cover this share of what its passage covers of the question.
TOPIC_SHARE = 0.6
# ...and at least this share of what the best passage found covers.
BEST_TOPIC_SHARE = 0.5
# A follow-up asking the same of another place: the quote covers at least this much of the
# thing asked (its terms, places aside; a quote of a table row repeats little of it).
SAME_THING_SHARE = 0.2
# An English question of which names and the glossary read at most this many things, leaving
# at least UNREAD_WORDS words unread, was not understood ("the fastest way to learn Python").
BARELY_READ = 1
UNREAD_WORDS = 3
# The top passage's own coverage counts a little less than the quote's.
PASSAGE_COVERAGE_SHARE = 0.9
# A quote that itself holds a fact of a narrow asked kind (a phone number, a web address, a
# fee, a document's number) or in the asked unit (a count of it, a time, a day, a deadline,
# a named ward, a site) is that much surer: a sentence rarely holds one by chance.
KIND_EVIDENCE = 0.03
_NARROW = frozenset({Kind.PHONE, Kind.WEB, Kind.DOCUMENT, Kind.FEE})
# Sentences shorter than this (in words) are headings or captions, not answers.
MIN_SENTENCE_WORDS = 4
# A passage that ends at a heading asking the question (within its last three sentences, and
# holding this share of the question's words) is read on in the article: four sentences more,
# from the next 1,500 characters.
HEADING_AT_END = 3
HEADING_SHARE = 0.6
HEADING_READ = 4
HEADING_WINDOW = 1500
# A news story says when it happened in its lead: the first sentences of the article.
LEAD_SENTENCES = 2
# A sentence that opens by pointing back at the one before it ("meanwhile", "of which",
# "however", "there"): alone, it answers nothing a reader can place.
_POINTS_BACK = re.compile(r"(?:Trong khi đó|Trong đó|Bên cạnh đó|Tuy nhiên|Đồng thời|Tại đây|"
                          r"Ở đây|Tại đó)(?!\w)")
# A question of this many letters with no lower-case one is shouted, not a run of names.
SHOUTED_LETTERS = 12
# A follow-up with this many content terms (syllables and pairs) asks something of its own.
FOCUS_TERMS = 3
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_WORD = re.compile(r"\w+")  # a syllable, as `index.syllables` reads them


@dataclass(frozen=True)
class Answer:
    text: str  # the quote, the curated answer, or "" (the faces say "not covered" themselves)
    sources: list[Citation]
    confidence: float
    answered: bool
    hits: list[Hit] = field(default_factory=list, repr=False)
    curated_id: int | None = None  # a moderators' curated answer, not quoted from articles
    language: str = "vi"  # the question's language: the reply's own words follow it
    small_talk: SmallTalk | None = None  # a greeting or thanks, answered socially
    question: str = ""  # what was answered: a follow-up reads with its previous question


@dataclass
class _Sentence:
    text: str
    hit_rank: int
    order: int  # position in the passage, to keep quoted sentences in reading order
    hit: Hit
    following: str  # the passage's next sentence, however short ("SĐT: 0913 684 060")
    # What the sentence says on its own account: itself, or with the next sentence when only
    # that one holds the asked fact.
    own: str = ""
    passage: list[str] = field(default_factory=list)  # the passage's sentences, in order
    lexical: float = 0.0
    dense: float = 0.0
    score: float = 0.0
    carries: bool = True  # holds the kind of fact asked for (alone or with the next sentence)
    discount: float = 1.0  # what its place on the page takes off its score (a Q&A's story)
    misses_a_name: bool = False  # leaves out a name of the question another candidate has
    lead: str = ""  # the article's lead, which says when what this sentence tells happened


class _Pages:
    """The considered articles' whole text, each read from the index at most once a question:
    several checks read it (places, days, grades, the Q&A answer's start)."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._texts: dict[str, str] = {}
        self._wholes: dict[str, str] = {}
        self._contexts: dict[str, set[str]] = {}
        self._first_said: dict[str, dict[str, int]] = {}

    def text(self, hit: Hit) -> str:
        """The article's indexed text (the passage alone if the index no longer has it)."""
        article = hit.article.id
        if article not in self._texts:
            self._texts[article] = self._index.article_text(article) or hit.text
        return self._texts[article]

    def whole(self, hit: Hit) -> str:
        """The article as a reader sees it: title, text, publisher and the province its
        site's address names (joined once)."""
        article = hit.article
        if article.id not in self._wholes:
            self._wholes[article.id] = " ".join([article.title, self.text(hit),
                                                 article.publisher or ""]) + _site(article)
        return self._wholes[article.id]

    def first_said(self, hit: Hit) -> dict[str, int]:
        """Where in the article's text each folded syllable and pair of syllables first comes
        (a character offset): one pass an article, however many sentences ask."""
        article = hit.article.id
        if article not in self._first_said:
            first: dict[str, int] = {}
            previous = None
            for word in _WORD.finditer(self.text(hit).lower()):
                folded = fold(word.group())
                first.setdefault(folded, word.start())
                if previous is not None:
                    first.setdefault(f"{previous}_{folded}", word.start())
                previous = folded
            self._first_said[article] = first
        return self._first_said[article]

    def context(self, hit: Hit) -> set[str]:
        """The folded terms of `whole`, computed once an article (the place checks read them)."""
        article = hit.article.id
        if article not in self._contexts:
            self._contexts[article] = folded_context(self.whole(hit))
        return self._contexts[article]


class Answerer:
    """Picks the sentences that answer a question, verbatim, and scores how sure it is."""

    def __init__(self, index: Index, settings: BotSettings) -> None:
        self.index = index
        self.settings = settings

    def answer(self, question: str, after: str | None = None) -> Answer:
        """Answer `question`; `after` is the chat's previous question, for follow-ups."""
        typed = nfc(question).strip()
        question = self._spelled_out(_unshouted(typed))  # "bn" is "bao nhiêu", "dc" "được"
        after = after and self._spelled_out(_unshouted(nfc(after).strip()))
        answer = self._answer_spelled(question, after)
        # What the citizen typed is what the log keeps (a follow-up's reading stays).
        return replace(answer, question=typed) if answer.question == question else answer

    def _spelled_out(self, typed: str) -> str:
        """Chat shorthand written out in a Vietnamese question, marked as the question is
        read; an English question keeps its letters ("Hoan Kiem vs Ba Dinh", "HK dollars")."""
        reading = self.index.understand(typed)
        return typed if reading.language == "en" else spelled_out(typed, reading.accented)

    def _answer_spelled(self, question: str, after: str | None) -> Answer:
        """Small talk, a follow-up read with the question before it, or a question alone."""
        talk = small_talk_and_language(question)
        if talk is not None:
            kind, language = talk
            return Answer("", [], 1.0, False, language=language, small_talk=kind,
                          question=question)
        followup = is_followup(question)
        if after and followup:
            asked = asked_for(question)
            if asked.kind is None and not has_question_words(question):
                asked = asked_for(after)
            focus = question if asks_its_own(question) else None
            names = names_given(question)
            merged = self._answer(resolve(after, question), asked, focus=focus, names=names,
                                  same_thing=after if names and focus is None else None)
            if merged.answered or focus is None:
                # "còn ở Cầu Giấy?" alone is only a place: whatever the articles say of
                # Cầu Giấy is no answer to it.
                return merged
        elif followup and not asks_its_own(question) and (
                own_words(question) != question.strip(" ?")):
            # "năm 2021 thì sao?" with no question before it (the first message, or after
            # CONVERSATION_TTL_S) asks nothing: any quote about 2021 would be a guess.
            return Answer("", [], 0.0, False, language=self.index.understand(question).language,
                          question=question)
        return self._answer(question, asked_for(question))

    def more(self, question: str, offset: int, count: int = 3,
             cited: Collection[str] = ()) -> list[Hit]:
        """The next articles' best passages after the `offset` already shown, for "Xem thêm".
        The articles the answer cited (`cited`, ids) were shown first, whatever their rank:
        they are never shown again, and the ones ranked above them are not skipped."""
        hits = self.index.search(nfc(question).strip(), k=offset + count + len(cited))
        others = [hit for hit in hits if hit.article.id not in cited]
        start = max(0, offset - len(cited))
        return others[start:start + count]

    def _answer(self, question: str, asked: Asked, focus: str | None = None,
                names: list[str] | None = None, same_thing: str | None = None) -> Answer:
        """`focus`: a follow-up's own words, which the quote should hold above all; `names`:
        the places it names, which the quoted article must name; `same_thing`: the question a
        follow-up asks again of another place, whose thing the quote must say."""
        query = self.index.understand(question)
        hits = self.index.search(query, k=PASSAGES_CONSIDERED + 2, per_article=False)
        refused = Answer("", [], 0.0, False, hits, language=query.language, question=question)
        if not hits or _barely_read(query):
            return refused
        terms = Terms.of_query(query, self.index)
        if focus:
            terms = terms.stressing(focus)
        elif (asking := _what_is_done(query.readable)) is not None:
            terms = terms.stressing(asking)
        sentences = _candidates(hits[:PASSAGES_CONSIDERED], asked)
        pages = _Pages(self.index)
        sentences += _under_headings(hits[:PASSAGES_CONSIDERED], asked, terms, pages, sentences)
        if asked.kind is Kind.DATE and asked.unit is None:  # "khi nào?", no day or year asked
            _dated_by_the_lead(sentences, pages)
        # A place and a day the question names must be in the article a quote comes from,
        # and a year it names must be the one the quote reports on. These read whole
        # articles: once an article, by its first passage, however many of its passages came.
        considered: dict[str, Hit] = {}
        for hit in hits[:PASSAGES_CONSIDERED]:
            considered.setdefault(hit.article.id, hit)
        about = {article: _names_its_places(query, hit, pages) and _names_its_days(
            query, hit, pages) and _names_its_months(query, hit, pages) and _names_its_numbered(
            query, hit, pages) and _names_its_school_year(query, hit, pages) and _names_each(
            names or [], hit, pages) and _names_its_province(query, hit, pages)
            for article, hit in considered.items()}
        years, spans = years_asked(query.typed), school_years(query.typed)
        months, days = months_asked(query.typed), days_asked(query.typed)
        places, held = set(places_named(query.typed)), occasions(query.typed)
        titles = titles_asked(focus or query.typed)
        # "When is the next one?" is answered by what the article says is coming.
        coming = asked.kind is Kind.DATE and asks_the_next(focus or query.typed)
        elsewhere = {article: places_named(pages.whole(hit)) if places else []
                     for article, hit in considered.items()}
        for sentence in sentences:
            sentence.carries = sentence.carries and about[sentence.hit.article.id] and (
                not years or _reports_on(years, sentence, pages, spans, days, months)) and (
                not months or _in_the_month(months, sentence)) and (
                not days or _on_the_day(days, sentence)) and _speaks_of(
                places, held, sentence, elsewhere[sentence.hit.article.id]) and (
                not speaks_of_a_deputy(titles, sentence.text)) and (
                not coming or tells_what_is_coming(sentence.own)) and (
                # "Ai là chủ tịch ...?": the quote names the chairman as such, and by name.
                not titles or asked.kind is not Kind.PERSON
                or (names_the_holder(titles, sentence.text, focus or query.typed)
                    and names_someone(sentence.own)))
        if not any(s.carries for s in sentences):
            return refused  # nothing quotable holds what was asked, about what was asked
        # "Vì sao ...?" is answered by what says a cause or a purpose (itself or the sentence
        # after it), where any does.
        if asked.kind is Kind.REASON:
            reasons = [s.carries and gives_a_reason(f"{s.text} {s.following}") for s in sentences]
            if any(reasons):
                for sentence, reason in zip(sentences, reasons, strict=True):
                    sentence.carries = reason
        self._score(query, terms, sentences, pages, focus)
        eligible = [s for s in sentences if s.carries]
        # When a quotable sentence names everything the question names ("Tạ Uyên (số lẻ)"),
        # one that leaves a name out is no answer, however close its meaning.
        eligible = [s for s in eligible if not s.misses_a_name] or eligible
        # A follow-up that asks its own thing ("còn phó chủ tịch?") is answered by a sentence
        # that says that thing, not by one about the thing asked before ("Chủ tịch UBND").
        if focus:
            phrases = _phrases_of(focus)
            eligible = [s for s in eligible if _says(phrases, s)] or eligible
        chosen = self._choose(eligible, sentences, terms, asked, pages)
        if not self._holds_the_topic(query, terms, chosen, hits[0]):
            return refused  # the quote is about something else the article also mentions
        # A procedure asked ("làm giấy khai tử") is answered by a quote that names it: the
        # papers a marriage needs are no answer about a death. Checked on the quote chosen,
        # not used to choose: a sentence that names it in passing ("Giấy chứng nhận kết hôn"
        # among a birth's papers) would be chosen for it.
        if (procedure := procedure_asked(query)) and not _names(procedure, chosen):
            return refused
        if same_thing and not self._says_the_same_thing(same_thing, names or [], chosen):
            return refused  # what Ba Đình was awarded is no answer to who got the Labour Order
        confidence = self._confidence(query, terms, chosen, hits[0])
        if (asked.kind in _NARROW or asked.unit is not None) and carries(asked, chosen[0].text):
            confidence = min(1.0, confidence + KIND_EVIDENCE)
        if confidence < self.settings.answer_min_confidence:
            return Answer("", [], confidence, False, hits, language=query.language,
                          question=question)
        # The best sentence leads; the ones that complete it follow in reading order.
        chosen[1:] = sorted(chosen[1:], key=lambda s: (s.hit_rank, s.order))
        text = " ".join(s.text for s in chosen)
        return Answer(text, _sources(s.hit for s in chosen), confidence, True, hits,
                      language=query.language, question=question)

    def _score(self, query: Query, terms: Terms, sentences: list[_Sentence], pages: _Pages,
               focus: str | None = None) -> None:
        """Words first (cheap, and right about names and numbers), then meaning for the best few.

        For a follow-up, its own words (`focus`) say what is asked: their names must be in the
        quote, and the model compares the sentences with them when they ask something of
        their own ("cử tri phản ánh nút giao nguy hiểm ở đâu?"), not with the question before.
        """
        names = proper_names(focus or query.typed)
        contexts = [folded_context(f"{s.hit.article.title} {s.text}") for s in sentences]
        named_somewhere = {n for n in names if any(n in c for c in contexts)}
        places = _place_pairs(focus or query.typed)
        # With no year asked, the newest of equally good articles wins (this year's ranking,
        # not last year's); a year asked was already required of the article.
        dates = [s.hit.article.published for s in sentences if s.hit.article.published]
        newest = max(dates) if dates and not _YEAR.search(query.typed) else None
        for sentence, context in zip(sentences, contexts, strict=True):
            # The title says who and where; a sentence often leaves that implicit.
            sentence.lexical = covered(terms, context)
            sentence.score = sentence.lexical + RANK_BONUS / (1 + sentence.hit_rank)
            if newest is not None and sentence.hit.article.published == newest:
                sentence.score += RECENCY_BONUS
            # A sentence about another district is no answer, however similar it sounds.
            missed = _missed(named_somewhere - context, names, places, sentence, pages)
            if missed and not _named_before(missed, sentence, pages):
                sentence.misses_a_name = True
                sentence.score *= OTHER_PLACE_FACTOR
            # A Q&A page's story is the citizen's question, not the authority's answer.
            page = pages.text(sentence.hit)
            if in_the_story(page, sentence.text, answer_starts(page)):
                sentence.discount = STORY_FACTOR
                sentence.score *= STORY_FACTOR
        # Meaning decides between sentences the words cannot separate; embedding is the
        # costly step, so a clear lexical winner is not second-guessed. English questions
        # share few words with the articles: meaning always helps there.
        ranked = sorted(sentences, key=lambda s: (not s.carries, -s.score))
        spread = 1.0 if query.language == "en" else CLOSE_CALL
        shortlist = [s for s in ranked[:SENTENCES_EMBEDDED] if s.score >= ranked[0].score - spread]
        if len(shortlist) < 2:
            return
        dense_weight = DENSE_WEIGHT[_reading(query)]
        asking = query.readable
        if focus and len(content_terms(focus)) >= FOCUS_TERMS:
            asking = self.index.understand(focus).readable
        cosines = self.index.similarity(asking, [s.text for s in shortlist])
        best = float(cosines.max())
        for sentence, cosine in zip(shortlist, cosines.tolist(), strict=True):
            sentence.dense = float(np.clip(1 - (best - cosine) / DENSE_SPREAD, 0.0, 1.0))
        for sentence in sentences:
            sentence.score = (1 - dense_weight) * sentence.score + (
                dense_weight * sentence.dense * sentence.discount)

    def _choose(self, eligible: list[_Sentence], sentences: list[_Sentence], terms: Terms,
                asked: Asked, pages: _Pages) -> list[_Sentence]:
        """The best sentence that carries the asked fact, the one right after it, and others
        that add missing terms."""
        ranked = sorted(eligible, key=lambda s: -s.score)
        best = ranked[0]
        chosen = [best]
        length = len(best.text)
        limit = self.settings.answer_max_chars
        # A sentence that matches the question often introduces the answer in the next one
        # ("... công bố Chỉ số cải cách hành chính. ... phường Hàng Bài xếp thứ nhất").
        following = next(
            (s for s in sentences if s.hit is best.hit and s.passage is best.passage
             and s.order == best.order + 1), None)
        if following is None and best.following:  # too short to stand alone, yet it may
            following = _Sentence(best.following, best.hit_rank, best.order + 1, best.hit, "")
            following.lexical = coverage(terms, best.following)
        holds_the_fact = bool(best.lead) or carries(asked, best.text)
        if following and (following.lexical > 0 or not holds_the_fact) and (
                length + len(following.text) <= limit):
            chosen.append(following)
            length += len(following.text)
        if best.lead and best.lead not in (s.text for s in chosen) and (
                length + len(best.lead) <= limit):  # it says when
            chosen.append(_Sentence(best.lead, best.hit_rank, -1, best.hit, ""))
            length += len(best.lead)
        for candidate in ranked[1:]:
            if len(chosen) >= self.settings.answer_max_sentences:
                break
            if candidate.score < COMPANION_SHARE * best.score:
                break
            if candidate in chosen or length + len(candidate.text) > limit:
                continue
            other_article = candidate.hit.article.id != best.hit.article.id
            if other_article and candidate.score < OTHER_ARTICLE_SHARE * best.score:
                continue
            quoted = " ".join(s.text for s in chosen)
            near_tie = not other_article and candidate.score >= NEAR_TIE_SHARE * best.score
            if near_tie or coverage(terms, f"{quoted} {candidate.text}") > coverage(terms, quoted):
                chosen.append(candidate)
                length += len(candidate.text)
        # "..., đó là:" announces what the lines after it list: it is never quoted alone.
        for sentence in list(chosen):
            if not sentence.text.rstrip().endswith(":"):
                continue
            for order, item in _listed_after(sentence):
                if item in (s.text for s in chosen):
                    continue  # the first item, often chosen as the sentence after it
                if length + len(item) > limit:
                    break
                chosen.append(_Sentence(item, sentence.hit_rank, order, sentence.hit, ""))
                length += len(item)
        # "Trong khi đó, Hà Nội ... chỉ 5 ngày" is read with the sentence it answers back to.
        context = _POINTS_BACK.match(best.text) and _said_before(best, pages)
        if context and length + len(context) <= limit and (
                context not in (s.text for s in chosen) and "?" not in context):
            chosen[0] = replace(best, text=f"{context} {best.text}")
        return chosen

    def _holds_the_topic(self, query: Query, terms: Terms, chosen: list[_Sentence],
                         top: Hit) -> bool:
        """The quote (with its title) covers nearly as much of the question as the passage it
        comes from, and as the best passage found: a sentence that shares only the question's
        common words, while the passage around it holds the rest ("căn cước" in a passage
        whose quoted sentence is about a phone number), answers another question."""
        best = chosen[0].hit
        held = coverage(terms, _quoted(chosen))
        if held < BEST_TOPIC_SHARE * coverage(terms, f"{top.article.title} {top.text}"):
            return False
        around = coverage(terms, f"{best.article.title} {best.text}")
        return around <= 0 or held >= TOPIC_SHARE * around

    def _says_the_same_thing(self, previous: str, names: list[str],
                             chosen: list[_Sentence]) -> bool:
        """"Còn ở Ba Đình thì sao?" asks the previous question's thing of another place: the
        quote (with its title) must say that thing as the previous question put it, places
        aside, not only something else the other place's article says."""
        places = {s for pair in place_names(previous) for s in pair.split("_")}
        places |= {s for name in names for s in syllables(fold(name).lower())}
        # An English question's thing is in the Vietnamese its words were read as.
        understood = self.index.understand(previous)
        asked = understood.lexical if understood.language == "en" else previous
        thing = Terms.of(asked, self.index).without(places)
        return not thing.words or coverage(thing, _quoted(chosen)) >= SAME_THING_SHARE

    def _confidence(self, query: Query, terms: Terms, chosen: list[_Sentence],
                    top: Hit) -> float:
        """How well the quoted text covers what was asked, and how close it is in meaning."""
        passage = f"{top.article.title} {top.text}"
        lexical = max(coverage(terms, _quoted(chosen)),
                      PASSAGE_COVERAGE_SHARE * coverage(terms, passage))
        words, meaning = CONFIDENCE_WEIGHTS[_reading(query)]
        return words * lexical + meaning * self._dense_evidence(top.dense_gap)

    def _dense_evidence(self, gap: float) -> float:
        """0 to 1 from how far a text stands above the question's typical cosine."""
        low, high = self.settings.dense_gap_floor, self.settings.dense_gap_ceiling
        return float(np.clip((gap - low) / max(high - low, 1e-6), 0.0, 1.0))


def _barely_read(query: Query) -> bool:
    """Whatever an English question matches, it was not understood when names and the
    glossary read one thing of it and left several words unread."""
    read = [concept for concept in query.concepts if not concept[0][:1].isdigit()]
    return query.language == "en" and len(read) <= BARELY_READ and (
        len(query.unread) >= UNREAD_WORDS)


def _quoted(chosen: list[_Sentence]) -> str:
    """A quote with its article's title and its site's province, which say who and where
    the sentences leave implicit: what the checks on a chosen quote read."""
    article = chosen[0].hit.article
    return " ".join([article.title + _site(article), *(s.text for s in chosen)])


def _site(article: Citation) -> str:
    """The provinces an article's site address names, each as a sentence of its own (so no
    word of the text before is read as part of its name): ". Thanh Hóa"."""
    return "".join(f". {name}" for name in sorted(provinces_of_site(article.url)))


def _said_before(sentence: _Sentence, pages: _Pages) -> str:
    """The sentence before this one: in its passage, or, for a passage's first, in the
    article ("Tại đây, ... bắt quả tang" opens the passage after the one naming the station).
    A photo's caption or a heading between them is passed over."""
    if sentence.order > 0:
        earlier = sentence.passage[:sentence.order]
    else:
        article = pages.text(sentence.hit)
        start = article.find(sentence.text)  # the first copy: passages overlap
        if start <= 0:
            return ""
        earlier = split_sentences(article[max(start - _LOOK_BACK, 0):start])
        if start > _LOOK_BACK:
            earlier = earlier[1:]  # the look-back may have cut into the first
    for previous in reversed(earlier[-2:]):
        if len(previous.split()) >= MIN_SENTENCE_WORDS and not _CAPTION.match(previous):
            return previous
    return ""


_LOOK_BACK = 1000  # characters before a passage's first sentence, to find the one before it
_CAPTION = re.compile(r"\s*(?:Ảnh|Nguồn|Video|Clip)\s*:", re.IGNORECASE)


def _listed_after(sentence: _Sentence) -> list[tuple[int, str]]:
    """What a sentence ending in ":" announces, with its place in the passage: the items that
    follow it ("+ Cha, mẹ;", "- Ông, bà;"), or else the next sentence."""
    after = list(enumerate(sentence.passage[sentence.order + 1:], start=sentence.order + 1))
    if not after:
        return [(sentence.order + 1, sentence.following)] if sentence.following else []
    items = list(itertools.takewhile(lambda pair: _ITEM.match(pair[1]), after))
    return items or after[:1]


_ITEM = re.compile(r"\s*(?:[-–•+*]|\d+[.)]|[a-zđ]\))\s")


def _unshouted(question: str) -> str:
    """A question typed in capitals ("HUYỆN HẢI HẬU GIAO BAO NHIÊU TÂN BINH?") read in lower
    case: capitals say which words are names, and in it every word would be one. Its places
    are then read as lower-case ones are ("huyện hải hậu")."""
    letters = [c for c in question if c.isalpha()]
    if len(letters) < SHOUTED_LETTERS or any(c.islower() for c in letters):
        return question
    lowered = question.lower()
    return lowered[:1].upper() + lowered[1:]


def _candidates(hits: list[Hit], asked: Asked) -> list[_Sentence]:
    """Every quotable sentence of the hits, marked with whether it carries the asked fact."""
    sentences: list[_Sentence] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        sentences += _quotable(split_sentences(hit.text), rank, hit, asked, seen)
    return sentences


def _quotable(split: list[str], rank: int, hit: Hit, asked: Asked,
              seen: set[str]) -> list[_Sentence]:
    """The quotable sentences of one run of an article's sentences (`seen`: those already
    taken, which this adds to)."""
    sentences = []
    for order, text in enumerate(split):
        # The title that opens a passage is no quote; the same words written again
        # in the text (pages whose first sentence is their title) can be.
        headline = order == 0 and text == hit.article.title
        if len(text.split()) < MIN_SENTENCE_WORDS or headline or text in seen:
            continue
        seen.add(text)
        # The next sentence, unless it repeats this one (a title echoed by the text).
        following = next((t for t in split[order + 1:order + 3] if t != text), "")
        # A question (a citizen's, quoted on a Q&A page) is never the answer.
        alone = carries(asked, text)
        answers = "?" not in text and (alone or carries(asked, following))
        own = text if alone else f"{text} {following}"
        sentences.append(_Sentence(text, rank, order, hit, following, own, split,
                                   carries=answers))
    return sentences


def _under_headings(hits: list[Hit], asked: Asked, terms: Terms, pages: _Pages,
                    sentences: list[_Sentence]) -> list[_Sentence]:
    """The answer under a heading that asks the question ("Làm tài khoản định danh điện tử
    có mất phí hay không?": its words, and the same kind of fact), when the passage ends near
    the heading: the article's next sentences after it (up to the next heading that asks
    something), as more candidates."""
    seen = {s.text for s in sentences}
    more: list[_Sentence] = []
    for rank, hit in enumerate(hits):
        if "?" not in hit.text:
            continue  # no heading asks anything: no need to split it again
        split = split_sentences(hit.text)
        for order, heading in enumerate(split):
            if not heading.rstrip().endswith("?") or len(split) - order > HEADING_AT_END or (
                    coverage(terms, heading) < HEADING_SHARE
                    or asked_for(heading).kind is not asked.kind):
                continue
            article = pages.text(hit)
            at = article.find(heading, max(article.find(hit.text), 0))
            if at < 0:
                continue
            end = at + len(heading) + HEADING_WINDOW
            # Passages overlap: what this one already holds (and the heading) comes again.
            after = [text for text in split_sentences(article[at + len(heading):end])
                     if text != heading and text not in seen]
            if end < len(article):
                after = after[:-1]  # the window may have cut the last one
            ends = next((i for i, text in enumerate(after) if text.endswith("?")), len(after))
            more += _quotable([heading, *after[:min(ends, HEADING_READ)]], rank, hit, asked,
                              seen)
    return more


def _dated_by_the_lead(sentences: list[_Sentence], pages: _Pages) -> None:
    """"Khi nào?" of what a news story tells: when no candidate gives a day, a sentence
    that tells it ("... trao Huân chương Lao động hạng Ba cho Ban Dân vận") is dated by the
    story's lead ("Vào sáng 18/2, ... tổ chức hội nghị biểu dương ..."), quoted with it."""
    day = Asked(Kind.DATE, DAY)
    if any(s.carries and carries(day, s.own) for s in sentences):
        return
    leads: dict[str, str] = {}
    for sentence in sentences:
        if sentence.carries or "?" in sentence.text:
            continue
        article = sentence.hit.article.id
        if article not in leads:
            opening = split_sentences(pages.text(sentence.hit))[:LEAD_SENTENCES]
            leads[article] = next((t for t in opening if carries(day, t) and "|" not in t
                                   and len(t.split()) >= MIN_SENTENCE_WORDS), "")
        if leads[article] and leads[article] != sentence.text:
            sentence.lead = leads[article]
            sentence.carries = True


def _names_its_places(query: Query, hit: Hit, pages: _Pages) -> bool:
    """Every place the question names is in the quoted article (its title, text,
    publisher): "phường Tân Sơn Nhì" is not answered from an article about another ward."""
    places = place_names(query.typed)
    if query.language == "vi":
        places |= lower_case_places(query.readable)
    if not places:
        return True  # most questions name none: no article text to read
    context = pages.context(hit)
    return all(place in context for place in places)


def _named_before(names: set[str], sentence: _Sentence, pages: _Pages) -> bool:
    """The names are the place the article tells of when the sentence comes, and the sentence
    names no place of its own: "Hiện toàn xã có 241 ... cơ sở" tells of the "xã Phượng Dực"
    named three sentences before, though its passage starts after that name. The place named
    last before it must be the asked one, and a sentence that speaks of a wider or another
    area ("toàn thành phố", "cả nước", "tại Phú Túc") tells of that one."""
    text = sentence.text
    if places_named(text) or place_names(text) or provinces_named(text):
        return False
    article = pages.text(sentence.hit)
    start = article.find(text)
    earlier = places_named(article[:start]) if start > 0 else []
    if not earlier:
        return False
    unit, name = earlier[-1]
    words = name.split()
    if not names <= {f"{a}_{b}" for a, b in itertools.pairwise(words)}:
        return False
    scope = _SCOPE.search(fold(text))
    return scope is None or scope.group(1) == unit


# A sentence that speaks of a whole area: "toàn xã", "cả huyện", "trên địa bàn thành phố".
_SCOPE = re.compile(r"\b(?:toan|ca|tren dia ban|khap) (xa|phuong|thi tran|quan|huyen|thi xa|"
                    r"thanh pho|tinh|nuoc|quoc gia|vung|khu vuc)\b")


def _place_pairs(question: str) -> set[str]:
    """The folded name pairs of the places a question names: after a unit word or "ở", or a
    province named bare ("học sinh Hà Nội")."""
    provinces = {f"{a}_{b}" for name in provinces_named(question)
                 for a, b in itertools.pairwise(syllables(fold(name)))}
    return place_names(question) | provinces


def _missed(names: set[str], asked: set[str], places: set[str], sentence: _Sentence,
            pages: _Pages) -> set[str]:
    """The names a sentence leaves out that it does not take from the article before it. A
    name that is no place ("Tết Bính Ngọ", a programme) is the article's subject once named:
    "Hà Nội ... chỉ 5 ngày" tells of the Bính Ngọ holiday its article's lead named. Not so
    for a sentence that names someone or something the question does not ("Trường Phan Đình
    Phùng: 675 chỉ tiêu" is no answer about Chu Văn An), nor for a place: the article may go on
    to another one (`_named_before`)."""
    others = names - places
    if not others or proper_names(sentence.text) - asked:
        return names
    start = max(pages.text(sentence.hit).find(sentence.text), 0)
    title = folded_context(sentence.hit.article.title)
    first = pages.first_said(sentence.hit)
    return (names & places) | {name for name in others
                               if name not in title and first.get(name, start) >= start}


def _names_its_province(query: Query, hit: Hit, pages: _Pages) -> bool:
    """A province the question names ("Hanoi students") is the article's, unless the article
    names no province: Ninh Thuận's winners are no answer about Hà Nội's."""
    asked = provinces_named(query.typed)
    return not asked or not tells_of_another(asked, pages.whole(hit))


def _names_each(names: list[str], hit: Hit, pages: _Pages) -> bool:
    """Every name (a follow-up's place, however written) is in the quoted article: "còn ở
    Cầu Giấy?" is not answered from Hai Bà Trưng's notice."""
    if not names:
        return True
    context = pages.context(hit)
    for name in names:
        words = syllables(fold(name))
        if not all(key in context for key in
                   [f"{a}_{b}" for a, b in itertools.pairwise(words)] or words):
            return False
    return True


def _names_its_days(query: Query, hit: Hit, pages: _Pages) -> bool:
    """Every day the question names is in the quoted article: "Quốc khánh 2/9" is not
    answered from the plan for New Year's Eve, nor "ngày 30/1" from another day's notice."""
    days = days_asked(query.typed)
    return not days or days <= days_about(pages.whole(hit))


def _names_its_months(query: Query, hit: Hit, pages: _Pages) -> bool:
    """A month the question names is one the article tells of, where it names months at all:
    "tháng 2/2021" is not answered from January's schedule."""
    months = months_asked(query.typed)
    return not months or _one_asked(months, months_about(pages.whole(hit)))


def _in_the_month(months: set[int], sentence: _Sentence) -> bool:
    """A quote that names months names the one asked: "how many cases in June?" is not
    answered by the count "from the start of the year to 17-7"."""
    return _one_asked(months, months_about(sentence.own))


def _on_the_day(days: set[tuple[int, int]], sentence: _Sentence) -> bool:
    """A quote that names days names one asked: "dịp 30/4 nghỉ từ hôm nào?" is not answered
    by the Tết holiday "từ 14/02 đến 22/02"."""
    return _one_asked(days, days_about(sentence.own))


def _names_its_school_year(query: Query, hit: Hit, pages: _Pages) -> bool:
    """A school year the question names is one the article tells of, where it names school
    years at all: "năm học 2011-2012" is not answered from 2010-2011's cut-off scores."""
    asked = school_years(query.typed)
    return not asked or _one_asked(asked, school_years(pages.whole(hit)))


def _one_asked(asked: set, named: set) -> bool:
    """Where a text names any months, days or school years, one of them is the one asked; a
    text that names none is not told apart by them."""
    return not named or bool(asked & named)


def _names_its_numbered(query: Query, hit: Hit, pages: _Pages) -> bool:
    """Every grade and session the question names is in the quoted article: "tuyển sinh
    lớp 10" is not answered from the notice for grades 1 and 6."""
    named = numbered_names(query.typed)
    return not named or named <= numbered_names(pages.whole(hit))


def _reports_on(years: set[int], sentence: _Sentence, pages: _Pages,
                asked_spans: set[tuple[int, int]], days: set[tuple[int, int]],
                months: set[int]) -> bool:
    """The quote is about a year the question names ("năm 2021" is not answered with 2022's
    revenue): the years the quote itself reports on decide; failing those, the title's,
    then the passage's before it; failing all, the article's date (a report published in
    2023 is about 2023 or 2022), or for an undated article, any mention in its text. An
    undated article that names no year at all cannot say which year it tells of: when it
    names the day or the month the question gives with the year ("dịp lễ 2/9/2022", "hồi
    tháng 7/2022"), the year asked is taken for the article's."""
    article = sentence.hit.article
    before = sentence.passage[:sentence.order]
    for text in (sentence.own, article.title, " ".join(before)):
        named = years_about(text)
        if named:
            # A school year asked is answered by that school year where the text names one.
            spans = school_years(text)
            return bool(named & years) and (not asked_spans or not spans
                                             or bool(spans & asked_spans))
    if article.published:
        published = article.published.year
        return bool(years & {published, published - 1})
    text = pages.text(sentence.hit)
    if mentioned := years_about(text):
        return bool(years & mentioned)
    return (bool(days) and days <= days_about(text)) or (
        bool(months) and months <= months_about(text))


def _speaks_of(places: set[tuple[str, str]], held: set[str], sentence: _Sentence,
               in_article: list[tuple[str, str]]) -> bool:
    """The quote is about the place and the occasion the question names, not about another of
    their kind. The nearest mention decides: the quote's own, else the passage's before it,
    else the title's; with none of those, the place the article names first of that kind (its
    subject). "Nhà máy ở phường Đông Quang" is not answered with "Khu xử lý này" when the
    sentence before placed it in phường Nam Sầm Sơn; "dịp Quốc khánh" not with Tết's plan."""
    if not places and not held:
        return True
    before = sentence.passage[:sentence.order]
    nearest_first = [sentence.own, *reversed(before), sentence.hit.article.title]
    for unit, name in places:
        for text in nearest_first:
            named = [other for kind, other in places_named(text) if kind == unit]
            if named:
                if not any(same_place(name, other) for other in named):
                    return False
                break
        else:
            subject = next((other for kind, other in in_article if kind == unit), name)
            if not same_place(name, subject):
                return False
    for text in nearest_first if held else ():
        named = occasions(text)
        if named:
            return bool(named & held)
    return True


def _phrases_of(focus: str) -> set[str]:
    """A follow-up's own phrases: its adjacent content words ("phó chủ tịch"), since a lone
    syllable ("giờ", "cuối") is often said otherwise ("8h00", "xếp cuối")."""
    return {term for term in content_terms(own_words(focus)) if "_" in term}


def _says(phrases: set[str], sentence: _Sentence) -> bool:
    """Whether a sentence (with the next one, when that holds the asked fact) has every one
    of a follow-up's phrases."""
    return phrases <= folded_context(sentence.own)


# "CSGT khuyến cáo gì?", "cần chuẩn bị giấy tờ gì?": the words before "gì" say what is asked.
_BEFORE_WHAT = re.compile(r"(?<!\w)(\w+\s+\w+)\s+gì(?!\w)")


def procedure_asked(query: Query) -> str | None:
    """The folded name of the procedure a Vietnamese question asks about ("làm giấy khai tử"
    -> "khai_tu", "thủ tục đăng ký kết hôn" -> "ket_hon", "xin cấp lại hộ chiếu" -> "ho_chieu"),
    or None. Its two words after the verbs: words typed with marks are read as typed, so
    "ở", "cần", "thì" end it while "ô", "căn", "thi" do not."""
    if query.language != "vi":
        return None
    written = nfc(query.readable).lower()
    folded = fold(written)
    if len(folded) != len(written):
        return None
    # "xin giấy phép xây nhà": a permit is named by its first word ("phép xây" is in "giấy phép
    # xây dựng"); the citizen's words after it are theirs, not the permit's name.
    if permit := _PERMIT.search(folded):
        word = written[permit.start(1):permit.end(1)]
        return None if word in _NOT_NAMING else f"phep_{fold(word)}"
    match = _PROCEDURE.search(folded)
    if match is None:
        return None
    words = []
    for word in written[match.start(1):].split()[:2]:
        word = word.strip(",.?!;:")
        if not word or word in _NOT_NAMING:
            break
        words.append(fold(word))
    return "_".join(words) if len(words) == 2 else None


def _names(procedure: str, chosen: list[_Sentence]) -> bool:
    """Whether a quote (with its article's title) names the procedure."""
    return procedure in folded_context(_quoted(chosen))


# A procedure, folded: "lam giay", "thu tuc dang ky", "xin cap lai", "gia han"; the words after
# it (and after what only says how: "lại", "dự", "nộp") name what it is for.
_PERMIT = re.compile(r"\b(?:xin|lam|cap lai|xin cap|gia han) giay phep (\w+)")
_PROCEDURE = re.compile(r"\b(?:lam giay|lam thu tuc|thu tuc|dang ky|"
                        r"dang ki|xin cap|cap lai|cap doi|sang ten|gia han)(?: (?:thu tuc|"
                        r"dang ky|dang ki|cap lai|cap doi|cap|lam lai|lam|lai|xin|moi|giay|du|"
                        r"nop|thu|thoi gian|thoi han))* (\w)")
# Words that end the name, as typed with marks ("ở", "cần", "thì" do; "ô", "căn", "thi" not).
_NOT_NAMING = frozenset("ở tại cần thì có cho của và là để với trên từ đến tới khi ạ nhé mất "
                        "bao trực online qua trước sau gì những thế như không được phải nào ra "
                        "lên về ngay bây hiện nay xong rồi luôn mấy nhanh".split())


def _what_is_done(question: str) -> str | None:
    """The two words a "... gì?" question asks about, typed with marks; None otherwise. "Tên
    là gì?" asks a name, which a sentence gives without the word "tên"."""
    match = _BEFORE_WHAT.search(question.lower())
    if match is None or _A_NAME & set(match.group(1).split()):
        return None
    return match.group(1)


_A_NAME = frozenset({"tên"})  # not "họ": "Họ làm gì?" asks what they do


def _reading(query: Query) -> str:
    """How the model reads the question: well (accented), poorly (unmarked), across languages."""
    if query.language == "en":
        return "english"
    return "unmarked" if query.unmarked else "accented"


def _sources(hits) -> list[Citation]:
    sources: list[Citation] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.article.id not in seen:
            seen.add(hit.article.id)
            sources.append(hit.article)
    return sources
