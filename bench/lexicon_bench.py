"""Which Swedish lexicon knows the words repair must produce? Run on demand: `python bench/lexicon_bench.py
[TEXT ...]` (default: corpus 001, 003, 004).

Takes every distinct word with å, ä or ö in clean text (exactly the words an English-model OCR damages and the
repair must restore) and reports the share each lexicon recognises, and its lookups per second:
- wordfreq's Swedish 'large' list (a PyPI dependency of finsam);
- that list plus finsam's domain vocabulary and compound analysis (parsers.repair.frequency);
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

    from parsers.repair import frequency

    paths = [Path(p) for p in sys.argv[1:]] or sorted((REPO / "corpus").glob("00[134]_*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    words = sorted({w.lower() for w in re.findall(r"[^\W\d_]+", text) if re.search("[åäöÅÄÖ]", w)})
    plain = wordfreq.get_frequency_dict("sv", wordlist="large")
    lexicons = {
        "wordfreq large": lambda w: w in plain,
        "wordfreq + domain + compounds": lambda w: frequency(w) > 0,
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
