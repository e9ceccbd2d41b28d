"""Output-identical, faster stand-ins for spaCy's attribute ruler and rule lemmatizer.

In ``en_core_web_sm`` the attribute ruler (179 token patterns mapping tags to POS and
morphology, plus exceptions) and the rule lemmatizer take about a quarter of the
pipeline's time on news text: the ruler runs its Matcher over every token (~30 us a
token) and the lemmatizer recomputes base-form checks token by token (~20 us). Both are
pure functions of a few token attributes, so each distinct input is computed once, by
the original component's own code, and reused:

- **Attribute ruler.** A one-token pattern can only look at the token's own attributes;
  which of them it reads is known from the patterns. A token's key holds those
  attributes, with word forms (LOWER, ORTH, ...) reduced to "one of the values some
  pattern names, or none of them" (plus each REGEX's verdict), so "Tehran" and "Paris"
  share a key while "there" keeps its own. The first token of each key is matched by
  the original one-token patterns (spaCy's Matcher, on a one-token span); multi-token
  patterns ("there is", "gon na") run as their own small Matcher over the doc. A token's
  attributes are then set from the patterns it matched, in the ruler's order (a later
  pattern wins), exactly as :class:`spacy.pipeline.AttributeRuler` does.
- **Lemmatizer.** A rule (or lookup) lemma depends only on the token's text, POS and
  morphology: it is computed once per (ORTH, POS, MORPH) by the original lemmatizer and
  reused, for tokens whose lemma is still unset (or all, with ``overwrite``). The rule
  lemmatizer's word index per POS (a list it scans for each candidate form) is held as a
  set, the only use it has being membership.

Anything these stand-ins do not model (pattern attributes they cannot key, another
lemmatizer mode) leaves the original component in place. ``tests/test_fasttags.py``
checks that tags, POS, morphology, lemmas and dependencies are identical to the
original pipeline's; ``bench/fasttags.py`` does so on any folder or JSONL of real text.
"""

from __future__ import annotations

import re
from typing import Any

RULER = "rashomon_attribute_ruler"
LEMMATIZER = "rashomon_lemmatizer"
#: Token attributes read by word form: reduced in the key to the values patterns name.
_FORM_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM"}
#: Attributes a key may hold as they are (ints from ``Doc.to_array``).
_PLAIN_ATTRS = {"TAG", "DEP", "POS", "IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE",
                "IS_LOWER", "IS_UPPER", "LIKE_NUM", "SHAPE", "ENT_TYPE", "MORPH", "LEMMA"}
_FORM_OPS = {"IN", "NOT_IN"}
_LEMMA_MODES = {"rule", "lookup", "pos_lookup"}
_CACHE_MAX = 500_000


class FastAttributeRuler:
    """Wraps a loaded :class:`spacy.pipeline.AttributeRuler` (see the module doc)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.vocab = ruler.vocab
        self.single = Matcher(self.vocab, validate=False)
        self.multi = Matcher(self.vocab, validate=False)
        self.n_multi = 0
        read: set[str] = set()
        names: dict[str, set[str]] = {}
        regexes: dict[str, list[re.Pattern[str]]] = {}
        for attr_id in range(len(ruler.attrs)):
            got = ruler.matcher.get(str(attr_id))
            patterns = got[1] if got else []
            one = [p for p in patterns if len(p) == 1]
            more = [p for p in patterns if len(p) > 1]
            if one:
                self.single.add(str(attr_id), one)
            if more:
                self.multi.add(str(attr_id), more)
                self.n_multi += 1
            for pattern in one:
                for attr, pred in pattern[0].items():
                    attr = attr.upper()
                    if attr in _FORM_ATTRS:
                        values = names.setdefault(attr, set())
                        if isinstance(pred, str):
                            values.add(pred)
                        elif isinstance(pred, dict) and set(pred) <= _FORM_OPS | {"REGEX"}:
                            for op, arg in pred.items():
                                if op == "REGEX":
                                    regexes.setdefault(attr, []).append(re.compile(arg))
                                else:
                                    values.update(arg)
                        else:
                            raise ValueError(f"unsupported pattern predicate {attr}: {pred!r}")
                    elif attr in _PLAIN_ATTRS:
                        read.add(attr)
                    else:
                        raise ValueError(f"unsupported pattern attribute {attr}")
        from spacy import attrs as A

        self.form_attrs = sorted(names.keys() | regexes.keys())
        self.plain_attrs = sorted(read)
        self.columns = [A.IDS[a] for a in self.form_attrs + self.plain_attrs]
        strings = self.vocab.strings
        self.form_names = [{strings.add(v) for v in names.get(a, ())} for a in self.form_attrs]
        self.form_regexes = [regexes.get(a, []) for a in self.form_attrs]
        self.out_columns = [A.POS, A.MORPH, A.LEMMA]
        self._key_ids: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], dict[int, int]] = {}
        self._form: list[dict[int, int]] = [{} for _ in self.form_attrs]

    def _form_code(self, j: int, value: int) -> int:
        """A word form's share of the key: itself where a pattern names it, else 0; then
        one bit per REGEX of that attribute."""
        cache = self._form[j]
        code = cache.get(value)
        if code is None:
            code = value if value in self.form_names[j] else 0
            regs = self.form_regexes[j]
            if regs:
                text = self.vocab.strings[value]
                code = hash((code, tuple(bool(r.search(text)) for r in regs)))
            if len(cache) > _CACHE_MAX:
                cache.clear()
            cache[value] = code
        return code

    def _merge(self, ids: tuple[int, ...]) -> dict[int, int]:
        merged = self._merged.get(ids)
        if merged is None:
            merged = {}
            for attr_id in ids:
                merged.update(self.ruler.attrs[attr_id])
            self._merged[ids] = merged
        return merged

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        if not n:
            return doc
        nf = len(self.form_attrs)
        rows = doc.to_array(self.columns).reshape(n, -1).tolist()
        # multi-token patterns: the tokens they set, by index
        extra: dict[int, list[int]] = {}
        if self.n_multi:
            for match_id, start, end in self.multi(doc, allow_missing=True):
                attr_id = int(self.vocab.strings[match_id])
                index = self.ruler.indices[attr_id]
                idx = start + index if index >= 0 else end + index
                extra.setdefault(idx, []).append(attr_id)
        out = doc.to_array(self.out_columns)
        direct: list[tuple[int, dict[int, int]]] = []
        key_ids = self._key_ids
        out_cols = self.out_columns
        for i, row in enumerate(rows):
            key = tuple(self._form_code(j, row[j]) for j in range(nf)) + tuple(row[nf:]) if nf else tuple(row)
            ids = key_ids.get(key)
            if ids is None:
                found = self.single(doc[i:i + 1], allow_missing=True)
                ids = tuple(sorted({int(self.vocab.strings[m]) for m, _, _ in found}))
                if len(key_ids) > _CACHE_MAX:
                    key_ids.clear()
                key_ids[key] = ids
            if i in extra:
                ids = tuple(sorted(ids + tuple(extra[i])))
            if not ids:
                continue
            merged = self._merge(ids)
            if merged.keys() <= {out_cols[0], out_cols[1], out_cols[2]}:
                for c, col in enumerate(out_cols):
                    if col in merged:
                        out[i, c] = merged[col]
            else:
                direct.append((i, merged))
        doc.from_array(out_cols, out)
        for i, merged in direct:
            set_token_attrs(doc[i], merged)
        return doc


class FastLemmatizer:
    """Wraps a loaded :class:`spacy.pipeline.Lemmatizer` (see the module doc)."""

    def __init__(self, lemmatizer: Any) -> None:
        if lemmatizer.mode not in _LEMMA_MODES:
            raise ValueError(f"unsupported lemmatizer mode {lemmatizer.mode}")
        self.lemmatizer = lemmatizer
        self.vocab = lemmatizer.vocab
        self.overwrite = bool(lemmatizer.overwrite)
        self._cache: dict[tuple[int, int, int], str] = {}
        if lemmatizer.mode == "rule" and lemmatizer.lookups.has_table("lemma_index"):
            # the rule lemmatizer only asks ``form in index``; spaCy keeps each POS's
            # index as a list (thousands of words, scanned per candidate form)
            table = lemmatizer.lookups.get_table("lemma_index")
            for key, words in list(table.items()):
                if isinstance(words, list):
                    table[key] = frozenset(words)

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        n = len(doc)
        if not n:
            return doc
        lem = self.lemmatizer
        if not lem._validated:
            lem._validate_tables()
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        cache = self._cache
        strings = self.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            text = cache.get(key)
            if text is None:
                text = lem.lemmatize(doc[i])[0]
                if len(cache) > _CACHE_MAX:
                    cache.clear()
                cache[key] = text
            # the string, not its hash, is cached: one added inside a memory zone is gone
            # from the string store when the zone closes, so it is added again here
            value = strings.add(text)
            if value != lemma:
                arr[i, 3] = value
                changed = True
        if changed:
            doc.from_array([LEMMA], arr[:, 3:4])
        return doc


def _register() -> None:
    from spacy.language import Language

    if RULER in Language.factories:
        return

    @Language.factory(RULER)
    def make_ruler(nlp: Any, name: str) -> FastAttributeRuler:
        return FastAttributeRuler(nlp.get_pipe("attribute_ruler"))

    @Language.factory(LEMMATIZER)
    def make_lemmatizer(nlp: Any, name: str) -> FastLemmatizer:
        return FastLemmatizer(nlp.get_pipe("lemmatizer"))


def install(nlp: Any) -> Any:
    """Swap the pipeline's ``attribute_ruler`` and ``lemmatizer`` for the stand-ins, where
    they model them (otherwise leave each as it is). Returns ``nlp``."""
    _register()
    for original, fast in (("attribute_ruler", RULER), ("lemmatizer", LEMMATIZER)):
        if original not in nlp.pipe_names:
            continue
        try:
            nlp.add_pipe(fast, after=original)
        except ValueError:
            continue
        nlp.remove_pipe(original)
    return nlp
