"""Read a policy YAML file into plain Python data, remembering where each value was.

PyYAML alone loses positions, accepts duplicate keys silently, expands aliases
without bound and turns `yes`/`no` into booleans. We compose the node tree and
build the data ourselves so that every value keeps its line and column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import PolicyError, Problem

# Aliases are useful for repeated citations but a "billion laughs" file expands
# exponentially: we stop once the built data has more nodes than this.
MAX_NODES = 100_000

Path_ = tuple  # a key path: keys (str) and list indexes (int)


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 scalars: `yes`/`no`/`on`/`off` stay strings, dates stay strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def format_path(path: Path_) -> str:
    """('sections', 0, 'id') → 'sections[0].id'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class SourceMap:
    """Where each key path of a parsed file came from."""

    def __init__(self, file: str):
        self.file = file
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at path, or of its nearest ancestor."""
        table = self.keys if key and tuple(path) in self.keys else self.values
        path = tuple(path)
        while path and path not in table:
            path = path[:-1]
            table = self.values
        return table.get(path, (None, None))

    def problem(self, path: Path_, message: str, expected: str | None = None, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, format_path(path), message, expected)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_problem(file: str, err: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(err, "problem_mark", None)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = getattr(err, "problem", None) or str(err)
    if mark is not None and "\t" in problem or (mark is not None and _tab_at(text, mark)):
        return Problem(file, line, column, "", "a tab character is used for indentation",
                       "indent with spaces; YAML does not allow tabs")
    context = getattr(err, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Problem(file, line, column, "", message, "valid YAML")


def _tab_at(text: str, mark: Any) -> bool:
    lines = text.splitlines()
    if mark.line < len(lines):
        line = lines[mark.line]
        return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    return False


class _Builder:
    def __init__(self, source: SourceMap):
        self.source = source
        self.count = 0
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise PolicyError([self.source.problem(
                path, f"the file expands to more than {MAX_NODES:,} values through aliases",
                "a policy file without alias bombs; use fewer, smaller aliases")])
        self.source.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return _Loader.construct_scalar_value(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(self.source.problem(
                    path, "merge keys (<<) are not supported", "write the keys out, or use an alias for a whole value"))
                continue
            key = _Loader.construct_scalar_value(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                line, column = _mark(key_node)
                self.problems.append(Problem(self.source.file, line, column, format_path(path),
                                             f"key {key!r} is not a string", "keys are plain words"))
                continue
            child = path + (key,)
            if key in first_seen:
                line, column = _mark(key_node)
                self.problems.append(Problem(self.source.file, line, column, format_path(child),
                                             f'duplicate key "{key}"',
                                             f"each key once in a mapping; first given at line {first_seen[key]}"))
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.source.keys[child] = _mark(key_node)
            result[key] = self.build(value_node, child)
        return result


def _construct_scalar_value(node: yaml.ScalarNode) -> Any:
    loader = _Loader("")
    return loader.construct_object(node, deep=True)


_Loader.construct_scalar_value = staticmethod(_construct_scalar_value)


def parse(path: str | Path, data: bytes | None = None) -> tuple[Any, SourceMap]:
    """Parse a policy file; raise PolicyError (with file, line and column) if it is not readable YAML."""
    file = str(path)
    source = SourceMap(file)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise PolicyError([Problem(file, None, None, "", f"cannot read the file: {err.strerror}",
                                       "a readable policy YAML file")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise PolicyError([Problem(file, line, column, "", f"byte 0x{data[err.start]:02x} is not UTF-8",
                                   "save the file as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise PolicyError([Problem(file, 1, 1, "", "the file is empty", "a policy: format, metadata, sections, …")])
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        raise PolicyError([_yaml_problem(file, err, text)]) from None
    if node is None:
        raise PolicyError([Problem(file, 1, 1, "", "the file is empty", "a policy: format, metadata, sections, …")])
    builder = _Builder(source)
    try:
        value = builder.build(node, ())
    except yaml.YAMLError as err:
        raise PolicyError([_yaml_problem(file, err, text)]) from None
    if builder.problems:
        raise PolicyError(builder.problems)
    return value, source
