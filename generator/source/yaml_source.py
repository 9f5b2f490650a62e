"""Read a policy YAML file into plain Python data, remembering where each value was.

PyYAML alone loses positions, accepts duplicate keys silently, expands aliases
without bound and turns `yes`/`no` into booleans. We read the file's events into
a node tree ourselves, in one pass that also bounds alias expansion and nesting
before anything is expanded and knows the key path where a syntax error happens;
then we build the data so that every value keeps its line and column. A syntax
error is put in plain words: what is wrong, where, and what would be right.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import PolicyError, Problem

# Aliases are useful for repeated citations but a "billion laughs" file expands
# exponentially: we refuse a file whose values, aliases expanded, exceed this.
MAX_NODES = 100_000
# A policy nests about eight levels; PyYAML's composer recurses, so a file nested
# hundreds deep would crash it. Refuse long before that.
MAX_DEPTH = 64

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


try:   # libyaml's parser, where PyYAML was built with it
    from yaml.cyaml import CParser
except ImportError:
    CParser = None

if CParser is not None:
    class _FastLoader(CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """The same YAML 1.2 scalars over libyaml's parser, several times quicker than PyYAML's own. A file it
        cannot read is read again by _Loader, whose errors parse() words (libyaml words them otherwise)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FAST: type | None = _FastLoader
else:
    _FAST = None


def normalise_space(text: str) -> str:
    """Collapse runs of white space, as a reader sees them (YAML's folded and literal text alike)."""
    return re.sub(r"\s+", " ", text).strip()


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

    def renumber(self, origin: list[int]) -> None:
        """Lines of a text made from another (a kept version read through the upgrade) as that other's lines:
        origin[i] is the line that line i + 1 comes from."""
        for table in (self.values, self.keys):
            for path, (line, column) in table.items():
                if 0 < line <= len(origin):
                    table[path] = (origin[line - 1], column)

    def problem(self, path: Path_, message: str, expected: str | None = None, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, format_path(path), message, expected)


def _mark(node: yaml.Node | yaml.Event) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# ---------------------------------------------------------------- the event pass

class _Frame:
    """A mapping or sequence being read: its node, and where we are inside it."""

    def __init__(self, node: yaml.CollectionNode, anchor: str | None, start: int):
        self.node = node
        self.kind = "map" if isinstance(node, yaml.MappingNode) else "seq"
        self.anchor = anchor
        self.start = start              # values read before this one
        self.key: Any = None            # map: the key whose value is being read
        self.key_node: yaml.Node | None = None
        self.want_key = True            # map: the next node is a key
        self.index = 0                  # seq: the index of the item being read


class _Walk:
    """Reads the event stream into a node tree, as PyYAML's composer does, and also

    bounds alias expansion and nesting before anything is expanded, and knows the
    key path at any point, so that a syntax error can name where it is.
    """

    def __init__(self, file: str, loader: _Loader):
        self.file = file
        self.loader = loader
        self.stack: list[_Frame] = []
        self.anchors: dict[str, yaml.Node] = {}
        self.sizes: dict[str, int] = {}         # anchor → values it expands to
        self.anchor_lines: dict[str, int] = {}
        self.total = 0                          # values read so far, aliases expanded
        self.last_scalar: tuple[Path_, yaml.ScalarEvent] | None = None
        self.root: yaml.Node | None = None
        self.documents = 0

    def path(self) -> Path_:
        parts: list = []
        for frame in self.stack:
            if frame.kind == "seq":
                parts.append(frame.index)
            elif not frame.want_key:
                parts.append(frame.key)
        return tuple(parts)

    def _is_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].kind == "map" and self.stack[-1].want_key

    def _add(self, node: yaml.Node) -> None:
        """A key or value of the innermost collection has been read."""
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        if frame.kind == "seq":
            frame.node.value.append(node)
            frame.index += 1
        elif frame.want_key:
            frame.key_node, frame.key = node, getattr(node, "value", None)
            frame.want_key = False
        else:
            frame.node.value.append((frame.key_node, node))
            frame.want_key = True

    def _fail(self, event: yaml.Event, message: str, expected: str) -> PolicyError:
        line, column = _mark(event)
        return PolicyError([Problem(self.file, line, column, format_path(self.path()), message, expected)])

    def _tag(self, event: yaml.NodeEvent, kind: type, value: Any) -> str:
        if event.tag is None or event.tag == "!":
            return self.loader.resolve(kind, value, event.implicit if kind is yaml.ScalarNode else True)
        return event.tag

    def run(self) -> yaml.Node | None:
        """The document's root node, or None for a file of comments only."""
        loader = self.loader
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self._fail(event, "a second YAML document (---) in the file", "one policy per file")
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if self._is_key():
                    raise self._fail(event, "a list or mapping is used as a key", "keys are plain words")
                self._anchor(event)
                if isinstance(event, yaml.MappingStartEvent):
                    node = yaml.MappingNode(self._tag(event, yaml.MappingNode, None), [], event.start_mark, None,
                                            flow_style=event.flow_style)
                else:
                    node = yaml.SequenceNode(self._tag(event, yaml.SequenceNode, None), [], event.start_mark, None,
                                             flow_style=event.flow_style)
                if event.anchor:
                    self.anchors[event.anchor] = node
                self.stack.append(_Frame(node, event.anchor, self.total))
                self.total += 1
                if len(self.stack) > MAX_DEPTH:
                    raise self._fail(event, f"values are nested more than {MAX_DEPTH} levels deep here",
                                     "a policy nests a few levels; close the lists and mappings opened above")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = self.stack.pop()
                frame.node.end_mark = event.end_mark
                if frame.anchor:
                    self.sizes[frame.anchor] = self.total - frame.start
                self._add(frame.node)
            elif isinstance(event, yaml.ScalarEvent):
                self._anchor(event)
                node = yaml.ScalarNode(self._tag(event, yaml.ScalarNode, event.value), event.value,
                                       event.start_mark, event.end_mark, style=event.style)
                if event.anchor:
                    self.anchors[event.anchor] = node
                    self.sizes[event.anchor] = 1
                if not self._is_key():
                    self.last_scalar = (self.path(), event)
                self.total += 1
                self._add(node)
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
        return self.root

    def _anchor(self, event: yaml.NodeEvent) -> None:
        name = event.anchor
        if name is not None and name in self.anchor_lines:
            raise self._fail(event, f'the anchor "&{name}" is defined twice',
                             f"each anchor name once; first defined at line {self.anchor_lines[name]}")
        if name is not None:
            self.anchor_lines[name] = event.start_mark.line + 1

    def _alias(self, event: yaml.AliasEvent) -> None:
        name = event.anchor
        if name not in self.sizes:
            if any(frame.anchor == name for frame in self.stack):
                raise self._fail(event, f'the alias "*{name}" is used inside the value it names, so it never ends',
                                 f'an alias of a value that is complete before "*{name}"')
            raise self._fail(event, f'the alias "*{name}" names no anchor',
                             f'an anchor "&{name}" earlier in the file')
        size = self.sizes[name]
        if self._is_key() and size > 1:
            raise self._fail(event, "a list or mapping is used as a key", "keys are plain words")
        if self.total + size > MAX_NODES:
            raise self._fail(event, f'the aliases expand to more than {MAX_NODES:,} values; '
                             f'"*{name}" here alone is {size:,} (its anchor is at line {self.anchor_lines[name]})',
                             "a policy without aliases that multiply; write repeated parts out")
        self.total += size
        self._add(self.anchors[name])


# ---------------------------------------------------------------- YAML errors in plain words

def _yaml_problem(file: str, err: yaml.YAMLError, text: str, walk: _Walk | None) -> Problem:
    mark = getattr(err, "problem_mark", None)
    path = format_path(_best_path(walk.path() if walk else (), text, mark))
    if isinstance(err, yaml.reader.ReaderError):
        line, column = _position(text, err.position)
        path = format_path(_text_path(text.splitlines(), line - 1, column - 1))
        return Problem(file, line, column, path, f"the character U+{err.character:04X} is not allowed in YAML",
                       "printable text; remove the control character")
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None) or ""
    context_mark = getattr(err, "context_mark", None)

    def at(message: str, expected: str, where=None, where_path: str | None = None) -> Problem:
        l, c = (where.line + 1, where.column + 1) if where is not None else (line, column)
        return Problem(file, l, c, path if where_path is None else where_path, message, expected)

    if mark is not None and _tab_at(text, mark):
        return at("a tab character is used for indentation", "indent with spaces; YAML does not allow tabs")
    if "'\\t'" in problem:
        return at("a tab character is used here, where YAML allows only spaces",
                  "a space in place of the tab")
    if "quoted scalar" in context and "end of stream" in problem:
        return at("a quoted text starts here and is never closed", "a closing quote at the end of the text",
                  context_mark)
    quoted = _quote_ends_on(walk, mark)
    if quoted is not None and quoted[1].start_mark.line != mark.line:
        scalar_path, event = quoted
        return at(f"the quoted text that starts here runs on to line {line}, where the YAML breaks",
                  f"a closing {event.style} at the end of this text; a {event.style} inside it is written "
                  + ("''" if event.style == "'" else '\\"'), event.start_mark, format_path(scalar_path))
    if problem == "mapping values are not allowed here":
        lines = text.splitlines()
        found = _LINE_KEY.match(lines[mark.line]) if mark.line < len(lines) else None
        if found and found.end(1) == mark.column:
            # The colon of this line's own key: the line was read as more of the value above it.
            column = found.start(1) + 1
            if _indent(lines[mark.line]) > _indent(_line_above(lines, mark.line)):
                return at(f'YAML syntax error: "{found.group(1)}:" is indented more than the line above, '
                          "so it reads as more of the text above",
                          f'indent "{found.group(1)}:" exactly like the other keys of its mapping')
            return at(f'YAML syntax error: the line above "{found.group(1)}:" is not "key: value", '
                      "so this line reads as more of its text", 'a ": " after the key on the line above')
        return at('YAML syntax error: ": " inside a text that is not in quotes',
                  'put the whole text in quotes ("…"), or, if a new key starts here, put it on its own line')
    if problem.startswith("expected <block end>") or problem.startswith("did not find expected key"):
        if quoted is not None:
            style = quoted[1].style
            return at(f"YAML syntax error: more text after the closing {style} of a quoted text",
                      f"the whole text inside one pair of quotes; a {style} inside it is written "
                      + ("''" if style == "'" else '\\"'), where_path=format_path(quoted[0]))
        if not _starts_line(text, mark):
            return at("YAML syntax error: more text after a complete value", "one value after each key")
        frame = walk.stack[-1] if walk and walk.stack else None
        if frame is not None and frame.kind == "map" and str(frame.key).startswith("-"):
            return at(f'YAML syntax error: the key "{frame.key}" above starts with "-"',
                      'a space after the "-" of a list item: "- ' + str(frame.key)[1:] + '"')
        return at(f"YAML syntax error: this line is indented to column {column}, which lines up with nothing above it",
                  "indent it with spaces exactly like the other keys or list items it belongs with")
    if problem.startswith("could not find expected ':'"):
        return at('YAML syntax error: a line without "key: value"',
                  'a key followed by ": ", or a text indented under the key it continues', context_mark)
    flow = re.match(r"expected ',' or '([\]}])'", problem)
    if flow:
        if walk and walk.stack and walk.stack[-1].kind == "seq":
            path = format_path(walk.path()[:-1])  # the list, not an item the parser guessed
        opener = "[" if flow.group(1) == "]" else "{"
        where = f" opened at line {context_mark.line + 1}" if context_mark else ""
        return at(f"YAML syntax error: the {opener} {flow.group(1)}{where} is not closed before this",
                  f'items separated by ", " and a closing "{flow.group(1)}"')
    if "'<stream end>'" in problem:
        return at("YAML syntax error: the file ends before a list or mapping is closed",
                  'a closing "]" or "}" for each "[" or "{"')
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return at(message, "valid YAML; see policy/README.md")


def _best_path(events_path: Path_, text: str, mark: Any) -> Path_:
    """The key path at a syntax error: from the events read, or from the indentation above it.

    The scanner reads ahead of the events, so an error can come before the key it belongs to
    was read; the indentation of the lines above then tells more, when it agrees.
    """
    if mark is None:
        return events_path
    from_text = _text_path(text.splitlines(), mark.line, mark.column)
    if not from_text or events_path[:len(from_text)] == from_text:
        return events_path  # the events know as much, or more (inside [ ] or { })
    return from_text


def _text_path(lines: list[str], index: int, column: int | None = None) -> Path_:
    """Keys and list indexes of the block lines that enclose line index, by indentation alone;
    with column, also the line's own key (and list item) when column is past it."""
    def real(line: str) -> bool:
        return bool(line.strip()) and not line.lstrip().startswith("#")

    def siblings_before(j: int, indent: int) -> int:
        count, k = 0, j - 1
        while k >= 0 and (not real(lines[k]) or _indent(lines[k]) >= indent):
            if real(lines[k]) and _indent(lines[k]) == indent and lines[k][indent:].startswith("-"):
                count += 1
            k -= 1
        return count

    def item_key(line: str, indent: int) -> re.Match | None:
        rest = line[indent:]
        return _LINE_KEY.match(" " * (indent + 2) + rest[2:]) if rest == "-" or rest.startswith("- ") else None

    if index >= len(lines) or not real(lines[index]):
        return ()
    parts: list = []
    own = lines[index]
    limit = _indent(own)
    if column is not None:
        rest = own[limit:]
        if rest == "-" or rest.startswith("- "):
            key = item_key(own, limit)
            parts = [siblings_before(index, limit)] + ([key.group(1)] if key and key.end() <= column else [])
        else:
            key = _LINE_KEY.match(own)
            parts = [key.group(1)] if key and key.end() <= column else []
    j = index - 1
    while j >= 0 and limit > 0:
        line = lines[j]
        if not real(line) or _indent(line) >= limit:
            j -= 1
            continue
        indent = _indent(line)
        rest = line[indent:]
        if rest == "-" or rest.startswith("- "):
            key = item_key(line, indent)
            if key and limit > indent + 2:
                parts.insert(0, key.group(1))  # inside the value of the item's first key
            parts.insert(0, siblings_before(j, indent))
        else:
            key = _LINE_KEY.match(line)
            if key is None:
                return ()  # not plain block YAML: say nothing rather than guess
            parts.insert(0, key.group(1))
        limit = indent
        j -= 1
    return tuple(parts)


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _tab_at(text: str, mark: Any) -> bool:
    lines = text.splitlines()
    if mark.line < len(lines):
        line = lines[mark.line]
        return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    return False


def _quote_ends_on(walk: _Walk | None, mark: Any) -> tuple[Path_, yaml.ScalarEvent] | None:
    """The last quoted text, if it ends on the line where the YAML breaks.

    A quote mark inside a quoted text ends it early; an unclosed quote swallows
    the lines after it up to the next quote mark, and the error then shows up far
    below, where the real mistake is not.
    """
    if walk is None or walk.last_scalar is None or mark is None:
        return None
    path, event = walk.last_scalar
    if event.style in ('"', "'") and event.end_mark.line == mark.line:
        return path, event
    return None


_LINE_KEY = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _line_above(lines: list[str], index: int) -> str:
    for line in reversed(lines[:index]):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


def _starts_line(text: str, mark: Any) -> bool:
    lines = text.splitlines()
    return mark.line < len(lines) and not lines[mark.line][: mark.column].strip(" -")


# ---------------------------------------------------------------- building the data

_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    def __init__(self, source: SourceMap, loader: _Loader):
        self.source = source
        self.loader = loader
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.source.values.setdefault(path, _mark(node))
        if node.tag not in _PLAIN_TAGS and not isinstance(node, yaml.ScalarNode):
            self._refuse_tag(node, path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            # Only the tags of plain data are known to the safe loader (!!python/… and the like are not).
            self._refuse_tag(node, path)

    def _refuse_tag(self, node: yaml.Node, path: Path_) -> None:
        line, column = _mark(node)
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise PolicyError([Problem(self.source.file, line, column, format_path(path),
                                   f'the tag "{tag}" is not allowed', "plain values without tags")])

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                line, column = _mark(key_node)
                self.problems.append(Problem(self.source.file, line, column, format_path(path + ("<<",)),
                                             "merge keys (<<) are not supported",
                                             "write the keys out, or use an alias for a whole value"))
                continue
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                line, column = _mark(key_node)
                self.problems.append(Problem(self.source.file, line, column, format_path(path),
                                             f"key {key!r} is not a word", "keys are words; put it in quotes"))
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


def _decode(file: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PolicyError([Problem(file, 1, 1, "", "the file is saved as UTF-16", "save the file as UTF-8")])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        column = len(data[line_start: err.start].decode("utf-8")) + 1
        byte = data[err.start: err.start + 1]
        try:
            guess = f' ("{byte.decode("cp1252")}" in Windows-1252)'
        except UnicodeDecodeError:
            guess = ""
        raise PolicyError([Problem(file, line, column, "", f"the file is not UTF-8: byte 0x{byte[0]:02x}{guess}",
                                   "save the file as UTF-8")]) from None


_A_POLICY = "a policy mapping that starts with format: 3 and metadata:; policy/README.md describes it"


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
    text = _decode(file, data)
    if not text.strip():
        raise PolicyError([Problem(file, 1, 1, "", "the file is empty", _A_POLICY)])
    # libyaml reads a tab after a colon as a space, where PyYAML (and so this project) refuses it: a file with a
    # tab anywhere is read by PyYAML alone.
    if _FAST is not None and "\t" not in text:
        try:   # the usual case, a file that reads: libyaml's parser; anything else is read again below
            return _read(file, text, _FAST, SourceMap(file))
        except (yaml.YAMLError, PolicyError):
            pass
    return _read(file, text, _Loader, source)


def _read(file: str, text: str, loader_class: type, source: SourceMap) -> tuple[Any, SourceMap]:
    walk = None
    try:
        loader = loader_class(text)  # _Loader refuses control characters at once
        walk = _Walk(file, loader)
        node = walk.run()
    except yaml.YAMLError as err:
        if loader_class is not _Loader:
            raise
        raise PolicyError([_yaml_problem(file, err, text, walk)]) from None
    if node is None:
        raise PolicyError([Problem(file, 1, 1, "", "the file holds only comments, no policy", _A_POLICY)])
    builder = _Builder(source, loader)
    value = builder.build(node, ())
    loader.dispose()
    if builder.problems:
        raise PolicyError(builder.problems)
    return value, source
