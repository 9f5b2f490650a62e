"""Previous versions of a policy, kept as sources beside it: `versions/<version>.yaml`.

Each is named from `metadata.history` (the version as written there, e.g. `versions/1.0.yaml`), and is a whole
policy file: `check` and the build load and check it like the current one (its problems name its own file and
line). A kept version still in format 2 is read through `policy-site upgrade`'s edits, in memory. The "What changed" page compares the current version with the latest previous version
that has a file; with none, the site has no such page and no link to one.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from generator.errors import PolicyError, Problem
from checker.dates import add_months, document_date
from generator.source.policy_model import Policy, load_policy

FOLDER = "versions"


@dataclass(frozen=True)
class PreviousVersion:
    version: str
    date: str
    path: Path
    history_index: int


def versions_dir(policy: Policy) -> Path:
    return policy.path.parent / FOLDER


def previous_versions(policy: Policy) -> list[PreviousVersion]:
    """The history's versions before the current one whose file is kept, oldest first."""
    current = policy.version_id   # the document's version, or our reference when it gives none
    found = []
    for i, entry in enumerate(policy.metadata["history"]):
        version = entry["version"]["value"]
        path = versions_dir(policy) / f"{version}.yaml"
        if version != current and path.is_file():
            found.append(PreviousVersion(version, entry["date"]["value"], path, i))
    return found


def version_problems(policy: Policy) -> list[Problem]:
    """Every problem of the previous versions' files, and of the current file's words for them."""
    from generator.source.invariant_check import check_invariants
    problems: list[Problem] = []
    named = {f"{e['version']['value']}.yaml" for e in policy.metadata["history"]}
    folder = versions_dir(policy)
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            if path.name not in named:
                problems.append(policy.source.problem(
                    ("metadata", "history"), f'{path} is kept as a previous version, but no history entry has the '
                    f'version "{path.stem}"', f"a history entry with version: \"{path.stem}\", or no such file"))
    kept = previous_versions(policy)
    for previous in kept:
        try:
            old = load_policy(previous.path, read_format_2=True)
            check_invariants(old)
        except PolicyError as err:
            problems.extend(err.problems)
            continue
        if old.version_id != previous.version:
            says = (f'says version "{old.version_id}"' if old.given("metadata", "version") else
                    f'gives no version, and its clauses\' words are our reference "{old.version_id}"')
            problems.append(old.source.problem(("metadata", "version"), f'this file is {previous.path.name} but {says}',
                                               f'version "{previous.version}", as its name and the history say'))
    if kept and "changes_page" not in policy.data:
        problems.append(policy.source.problem(("metadata", "history"), f"{kept[-1].path} is kept as a previous "
                                              "version, so the site has a page of what changed, but "
                                              "`changes_page` (its words) is missing",
                                              "a changes_page: mapping, see policy/README.md"))
    return problems


def previous_policy(policy: Policy) -> Policy | None:
    """The latest previous version kept, loaded (it has been checked with the current one)."""
    kept = previous_versions(policy)
    return load_policy(kept[-1].path, read_format_2=True) if kept else None


def build_date() -> dt.date:
    """Today; or the day of SOURCE_DATE_EPOCH, for a build that must give the same bytes on any day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def change_is_recent(policy: Policy, today: dt.date | None = None) -> bool:
    """Whether the caller pages and the checker still point to the page of what changed: from before the
    version's effective date until `changes_page.recent_months` after it."""
    words = policy.data.get("changes_page")
    if not words or not policy.given("metadata", "effective_date"):
        return False   # without a date in force there is no "recent" to count: the page stays, unannounced
    start = document_date(policy.value("metadata", "effective_date"))
    return (today or build_date()) < add_months(start, words["recent_months"])
