"""policy-site: check the policy, explain answers, and build its outputs from the command line."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from generator.errors import PolicyError, counted
from generator.source.load_and_check import load_and_check
from generator.source.policy_model import Policy

POLICY_DIR = Path("policy")


def default_policy_file() -> Path:
    """The one *.yaml under ./policy, so that `policy-site check` needs no argument here."""
    found = sorted(POLICY_DIR.glob("*.yaml"))
    if len(found) != 1:
        names = ", ".join(str(p) for p in found) or "none"
        raise SystemExit(f"Error: name the policy file (found {len(found)} under {POLICY_DIR}/: {names})")
    return found[0]


def default_docs_dir(config: Path = Path("mkdocs.yml")) -> Path | None:
    """The site's folder of hand-written pages: `docs_dir` of ./mkdocs.yml (MkDocs' own default, docs/, when it
    names none), so that `check` refuses the same page names as the build; None without a mkdocs.yml here."""
    if not config.is_file():
        return None
    import yaml

    class _Loader(yaml.SafeLoader):  # mkdocs.yml may hold !ENV and !!python tags: only docs_dir is read
        pass
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader) or {}
    return config.parent / (settings.get("docs_dir") or "docs")


def _load(file: str | None, *, invariants: bool = False) -> Policy:
    """The policy, checked as the build checks it (generator/source/load_and_check.py): with invariants, over every
    answer set, as for anything the build writes."""
    path = Path(file) if file else default_policy_file()
    return load_and_check(path, docs_dir=default_docs_dir(), invariants=invariants).policy


def cmd_check(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else default_policy_file()
    docs_dir = Path(args.docs_dir) if args.docs_dir else default_docs_dir()
    try:
        checked = load_and_check(path, docs_dir=docs_dir, languages=[args.language] if args.language else None)
    except PolicyError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{counted(len(err.problems), 'problem')} in {path}", file=sys.stderr)
        return 2
    policy = checked.policy
    from generator.source.publishing import example_problems
    from generator.source.readability import summary_problems
    warnings = summary_problems(policy)
    # A translation's missing or fuzzy entries: the original's words stand in for them in a preview.
    # And an interface catalog no native speaker has reviewed (unless the policy supplies every interface text).
    incomplete = [p for translation in checked.translations
                  for p in translation.incomplete + [translation.interface] * bool(translation.interface)]
    # --strict: what is only a warning is an error too; --publish (and --strict): so is every placeholder, and
    # every entry of a translation that is not up to date.
    refused = (warnings if args.strict else []) + (example_problems(policy) + incomplete
                                                   if args.strict or args.publish else [])
    warnings = [w for w in warnings + incomplete if w not in refused]
    # The policy file's problems first, then each translation's, each in the order of its file.
    for problem in sorted(refused + warnings, key=lambda p: (p.file != policy.source.file, p.file, p.line or 0,
                                                             p.column or 0)):
        print(problem if problem in refused else replace(problem, message="warning: " + problem.message),
              file=sys.stderr)
    if refused:
        print(f"{counted(len(refused), 'problem')} in {path}", file=sys.stderr)
        return 2
    if warnings:  # counted where the warnings are, so that captured output reads in order
        print(f"{counted(len(warnings), 'warning')} in {path}", file=sys.stderr)
    examples = policy.examples()
    print(f"{path}: OK — {counted(len(policy.sections), 'section')}, {counted(len(policy.clauses), 'clause')}, "
          f"{counted(len(policy.checker['questions']), 'question')}, {counted(len(policy.checker['rules']), 'rule')}; "
          f"{counted(len(policy.checker['invariants']), 'invariant')} "
          f"{'holds' if len(policy.checker['invariants']) == 1 else 'hold'} over {counted(checked.answer_sets, 'answer set')}"
          + (f"; {counted(checked.previous_versions, 'previous version')} checked" if checked.previous_versions else "")
          + (f"; {counted(len(examples), 'example value')} to replace ({', '.join(examples)})" if examples else "")
          # Not a problem: the site says in words that the document does not give them.
          + (f"; not given by the document: {', '.join(policy.not_given())}" if policy.not_given() else ""))
    for translation in checked.translations:
        left = len({(p.line, p.path) for p in translation.incomplete})
        print(f"{translation.file}: OK — {translation.language}, {counted(translation.entries, 'entry', 'entries')}"
              + (f", {left} still to translate or bring up to date (listed above)" if left else ", all translated")
              # They read English words; a translation changes no data, so what they hold of the data holds.
              + "; words against their data and reading ease are checked in the original only")
    return 0


def cmd_translations_extract(args: argparse.Namespace) -> int:
    from generator.source.translations import extract
    try:
        path, entries = extract(_load_alone(args.file))
    except PolicyError as err:
        print(err, file=sys.stderr)
        return 2
    print(f"Wrote {path}: {counted(entries, 'entry', 'entries')} to translate")
    return 0


def cmd_translations_update(args: argparse.Namespace) -> int:
    from generator.source.translations import update
    try:
        path, merged = update(_load_alone(args.file), args.language)
    except PolicyError as err:
        print(err, file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    print(f"Wrote {path}: {counted(merged.translated, 'entry', 'entries')} translated, {merged.fuzzy} fuzzy "
          f"(the original changed: to bring up to date), {merged.untranslated} to translate"
          + (f"; {merged.obsolete} no longer in the policy, kept at the end as obsolete (#~)" if merged.obsolete
             else ""))
    return 0


def _load_alone(file: str | None) -> Policy:
    """The policy file alone, as load_policy checks it: its words need no site, invariants or versions."""
    from generator.source.policy_model import load_policy
    return load_policy(Path(file) if file else default_policy_file())


def cmd_explain(args: argparse.Namespace) -> int:
    from checker.__main__ import run_explain
    try:
        policy = _load(args.policy)
    except PolicyError as err:
        print(err, file=sys.stderr)
        return 2
    return run_explain(policy.checker_data, args.answers, args.json)


def cmd_diff(args: argparse.Namespace) -> int:
    """What changed for a caller between two versions: 0 when no answer set differs in meaning, 1 when some
    do, 2 when a file is not a valid policy (its problems as file:line:column, as `check` prints them)."""
    import json
    from generator.source.diff import diff_policies, json_report, load_pair, text_report
    try:
        old, new = load_pair(args.old, args.new)
    except PolicyError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(counted(len(err.problems), "problem"), file=sys.stderr)
        return 2
    diff = diff_policies(old, new)
    if args.json:
        print(json.dumps(json_report(diff), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(text_report(diff))
    return 1 if diff.changes else 0


def cmd_checker_data(args: argparse.Namespace) -> int:
    try:
        policy = _load(args.policy, invariants=True)
    except PolicyError as err:
        print(err, file=sys.stderr)
        return 2
    text = policy.checker_data_json
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _load_translation(file: str | None, language: str) -> Policy:
    """The policy's translation into language, as the build takes it (checked with the original and its
    invariants), for something printed: refused (PolicyError) while any entry is missing, fuzzy or out of date, since
    a leaflet has no notice of an incomplete translation and would mix two languages. An interface catalog no
    native speaker has reviewed is said on stderr, as `check` says it, and does not stop it."""
    path = Path(file) if file else default_policy_file()
    checked = load_and_check(path, docs_dir=default_docs_dir(), invariants=True, languages=[language])
    (translation,) = checked.translations
    if translation.incomplete:
        raise PolicyError(translation.incomplete)
    if translation.interface:
        interface = translation.interface
        print(replace(interface, message="warning: " + interface.message), file=sys.stderr)
    return translation.policy


def cmd_leaflets(args: argparse.Namespace) -> int:
    from generator.errors import BuildError
    from generator.leaflets import build_leaflets
    output = Path(args.output or (f"site/{args.language}/downloads" if args.language else "site/downloads"))
    try:
        policy = _load_translation(args.policy, args.language) if args.language else _load(args.policy, invariants=True)
        leaflets = build_leaflets(policy, output)
    except PolicyError as err:
        print(err, file=sys.stderr)
        return 2
    except BuildError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    for leaflet in leaflets:
        print(f"{output / leaflet.file_name}: {leaflet.page_count} pages, "
              f"{leaflet.page_size_mm[0]:g} × {leaflet.page_size_mm[1]:g} mm, {leaflet.size_bytes:,} bytes")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from generator.starter import StarterError, write_starter
    try:
        written = write_starter(Path(args.folder))
    except StarterError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    folder = Path(args.folder)
    print(f"Wrote a starter policy site in {folder}/: " + ", ".join(str(p.relative_to(folder)) for p in written))
    print(f"Next:\n  cd {folder}\n  npm ci                  # Pyodide and the typeface, pinned in package.json\n"
          "  policy-site check       # then edit policy/policy.yaml, and check again\n"
          "  mkdocs build --strict   # the site into site/ (or: mkdocs serve)")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    """A format-2 file brought to format 3 in place, by editing its text (generator/source/upgrade.py): 0 when
    it was upgraded (or was format 3 already), 2 when it cannot be."""
    from generator.source.upgrade import UpgradeError, upgraded
    path = Path(args.file) if args.file else default_policy_file()
    try:
        text = path.read_text(encoding="utf-8")
        new, changes = upgraded(text)
    except (OSError, UnicodeDecodeError, UpgradeError) as err:
        print(f"Error: {path}: {err}", file=sys.stderr)
        return 2
    if not changes:
        print(f"{path} is format 3 already: nothing to change")
        return 0
    if not args.dry_run:
        path.write_text(new, encoding="utf-8")
    print(f"{'Would change' if args.dry_run else 'Changed'} {path}: {counted(len(changes), 'change')}")
    for change in changes:
        print(f"  {change}")
    guessed = sum("confirm it" in c for c in changes)
    if guessed:
        print(f"Then: confirm each strength against its clause (`policy-site check --publish {path}` lists "
              f"{'it' if guessed == 1 else 'them'} until you do).")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.source.schema_check import SCHEMA_PATH
    sys.stdout.write(SCHEMA_PATH.read_text(encoding="utf-8"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policy-site", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate a policy file; print every problem as file:line:column")
    check.add_argument("file", nargs="?", help="policy YAML (default: the one file in policy/)")
    check.add_argument("--publish", action="store_true",
                       help="refuse example values ({value: …, example: true}): the file is to be published")
    check.add_argument("--strict", action="store_true",
                       help="refuse what is otherwise a warning (a summary under the reading-ease target), "
                            "and example values")
    check.add_argument("--docs-dir", help="the site's folder of hand-written pages, whose names the policy's pages "
                                          "must not take (default: docs_dir of ./mkdocs.yml)")
    check.add_argument("--language", metavar="LANG",
                       help="check this translation only (translations/LANG.po; default: every one beside the policy)")
    check.set_defaults(func=cmd_check)

    translations = sub.add_parser("translations", help="the policy's words as gettext catalogs, for translators")
    what = translations.add_subparsers(dest="action", required=True)
    extract = what.add_parser("extract", help="write translations/policy.pot beside the policy: every string of "
                                              "words, keyed by where it is in the file")
    extract.add_argument("file", nargs="?", help="policy YAML (default: the one file in policy/)")
    extract.set_defaults(func=cmd_translations_extract)
    update = what.add_parser("update", help="bring translations/LANG.po up to date with the policy (created if "
                                            "new): an entry whose original changed is marked fuzzy")
    update.add_argument("language", metavar="LANG", help="the language's code, as metadata.language writes it: cy, pl")
    update.add_argument("file", nargs="?", help="policy YAML (default: the one file in policy/)")
    update.set_defaults(func=cmd_translations_update)

    explain = sub.add_parser("explain", help="explain what happens for a set of answers")
    explain.add_argument("answers", nargs="*", metavar="question=value")
    explain.add_argument("--json", action="store_true", help="print the contract's JSON")
    explain.add_argument("--policy", help="policy YAML (default: the one file in policy/)")
    explain.set_defaults(func=cmd_explain)

    diff = sub.add_parser("diff", help="what changed for each kind of caller between two versions of a policy")
    diff.add_argument("old", help="the earlier version's YAML (e.g. policy/versions/1.0.yaml)")
    diff.add_argument("new", help="the later version's YAML")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON")
    diff.set_defaults(func=cmd_diff)

    data = sub.add_parser("checker-data", help="write the checker's data as JSON")
    data.add_argument("--policy", help="policy YAML (default: the one file in policy/)")
    data.add_argument("-o", "--output", help="file to write (default: standard output)")
    data.set_defaults(func=cmd_checker_data)

    leaflets = sub.add_parser("leaflets", help="build the print leaflets (PDF); nothing is replaced unless all build")
    leaflets.add_argument("--policy", help="policy YAML (default: the one file in policy/)")
    leaflets.add_argument("-o", "--output", help="folder to write (default: site/downloads, or site/LANG/downloads "
                                                 "with --language, where the site has them)")
    leaflets.add_argument("--language", metavar="LANG",
                          help="the translation's leaflets (translations/LANG.po beside the policy), named "
                               "…-LANG.pdf; refused while any entry is missing or fuzzy")
    leaflets.set_defaults(func=cmd_leaflets)

    new = sub.add_parser("new", help="write a starter policy, mkdocs.yml and package.json into a new folder")
    new.add_argument("folder", help="the folder to create (it must not exist, or be empty)")
    new.set_defaults(func=cmd_new)

    upgrade = sub.add_parser("upgrade", help="bring a format-2 policy file to format 3, editing it in place")
    upgrade.add_argument("file", nargs="?", help="policy YAML (default: the one file in policy/)")
    upgrade.add_argument("--dry-run", action="store_true", help="say what would change, and change nothing")
    upgrade.set_defaults(func=cmd_upgrade)

    schema = sub.add_parser("schema", help="print the policy format's JSON Schema (for an editor)")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
