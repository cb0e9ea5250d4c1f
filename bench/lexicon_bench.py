"""Which Swedish lexicon knows the words repair must produce? Run on demand: `python bench/lexicon_bench.py
[TEXT ...]` (default: corpus 001, 003, 004).

Takes every distinct word with å, ä or ö in clean text (exactly the words an English-model OCR damages and the
repair must restore) and reports the share each lexicon recognises, and its lookups per second:
- wordfreq's Swedish 'large' list (a PyPI dependency of finsam);
- that list plus finsam's domain vocabulary, report word counts (leave one report out) and compound analysis
  (parsers.lexicon);
- Debian's hunspell-sv dictionary read with spylls (`apt install hunspell-sv`, `pip install spylls`), which
  knows Swedish inflection and compounding rules.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HUNSPELL = Path("/usr/share/hunspell/sv_SE")


def main() -> None:
    sys.path.insert(0, str(REPO))
    import wordfreq

    from parsers.lexicon import build_lexicon, count_report_words, default_lexicon

    corpus = sorted((REPO / "corpus").glob("00[134]_*.txt"))
    paths = [Path(p).resolve() for p in sys.argv[1:]] or corpus
    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    words_of = {
        p: {w.lower() for w in re.findall(r"[^\W\d_]+", t) if re.search("[åäöÅÄÖ]", w)}
        for p, t in texts.items()
    }
    words = sorted(set().union(*words_of.values()))
    plain = wordfreq.get_frequency_dict("sv", wordlist="large")
    # finsam's report counts are made from the corpus: each corpus text is looked up in counts made from the
    # others (leave one out), any other text in the shipped counts
    loo = {
        p: build_lexicon(count_report_words(t.read_text(encoding="utf-8") for t in corpus if t != p))
        if p in corpus
        else default_lexicon()
        for p in paths
    }
    lexicons = {
        "wordfreq large": lambda w: w in plain,
        "wordfreq + domain + compounds": lambda w: all(
            loo[p].frequency(w) > 0 for p in paths if w in words_of[p]
        ),
    }
    try:
        from spylls.hunspell import Dictionary

        hunspell = Dictionary.from_files(str(HUNSPELL))
        lexicons["hunspell-sv (spylls)"] = hunspell.lookup
    except (ImportError, OSError) as exc:
        print(f"hunspell-sv not measured: {exc}")
    print(f"{len(words)} distinct words with å/ä/ö in {len(paths)} texts")
    for name, known in lexicons.items():
        start = time.perf_counter()
        found = [w for w in words if known(w)]
        seconds = time.perf_counter() - start
        missing = [w for w in words if w not in set(found)]
        print(
            f"{name:32s} {len(found)}/{len(words)} ({100 * len(found) / len(words):.1f} %)  "
            f"{len(words) / seconds:,.0f} lookups/s  missing e.g. {missing[:8]}"
        )


if __name__ == "__main__":
    main()
