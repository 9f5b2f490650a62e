"""One way to load a policy and check it: what `policy-site check` says "OK" to is exactly what the build takes.

The CLI, the MkDocs plugin and the leaflets' separate process all come here. A file that fails reading, the
schema or the cross-references (all in load_policy) is refused with those problems alone; once it loads,
every further problem is gathered before any is reported: the pages the YAML would name (page_names), what
a site that is published must not hold, the invariants, the previous versions kept beside the policy
(generator/source/versions.py), and its translations (generator/source/translations.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import PolicyError, Problem
from generator.source.page_names import language_folder_problems, page_problems, reserved
from generator.source.policy_model import Policy, load_policy
from generator.source.translations import Translation, translate
from generator.source.translations import languages as translation_languages
from generator.source.versions import previous_versions, version_problems


@dataclass(frozen=True)
class Checked:
    policy: Policy
    answer_sets: int        # how many answer sets the invariants were checked over (0 when they were not)
    previous_versions: int  # how many previous versions (versions/<version>.yaml) were checked with it
    # Each language checked (translations/LANG.po beside the policy): none refused; its incomplete entries
    # are listed there, for `check` to warn of (a preview may show them; publishing may not).
    translations: tuple[Translation, ...] = ()


def load_and_check(path: Path | str, *, docs_dir: Path | str | None, invariants: bool = True, publish: bool = False,
                   loaded: Callable[[Policy], None] | None = None, languages: list[str] | None = None) -> Checked:
    """The policy at path, checked; or PolicyError with every problem found, in the order of the file.

    docs_dir is the site's folder of hand-written pages, whose names the YAML's pages must not take (None:
    a caller with no site, such as the leaflets). publish refuses example values, and a translation's missing
    or fuzzy entries. loaded, if given, is called with the policy once it has loaded and nothing that a
    published site refuses is in it, before the slower checks, so that work it starts (the leaflets) runs
    beside them. languages: the translations to check (default: every translations/LANG.po beside the
    policy, as the site takes every one); a translation that changes what the original says is refused.
    """
    policy = load_policy(Path(path))
    problems: list[Problem] = []
    if publish:
        from generator.source.publishing import example_problems
        problems += example_problems(policy)
    if loaded is not None and not problems:
        loaded(policy)
    codes = translation_languages(policy.path) if languages is None else languages
    folders = sorted({*translation_languages(policy.path), *codes})   # every translation's, whichever are checked
    problems += page_problems(policy, reserved(docs_dir, folders))
    answer_sets = 0
    if invariants:
        from generator.source.invariant_check import check_invariants
        try:
            answer_sets = check_invariants(policy)
        except PolicyError as err:
            problems += err.problems
    # The previous versions kept beside it, each checked like it (their problems are located in their own files).
    previous = version_problems(policy)
    # The translations, each problem at its line of the PO file.
    previous += language_folder_problems(docs_dir, folders)
    translated = tuple(translate(policy, language) for language in codes)
    previous += [p for t in translated for p in t.refused + (t.incomplete + [t.interface] * bool(t.interface)
                                                            if publish else [])]
    if problems or previous:
        raise PolicyError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)) + previous)
    return Checked(policy, answer_sets, len(previous_versions(policy)), translated)
