"""Walk every page, form and query argument of the shop with bad values; collect the 5xx.

Routes come from `app.url_map`; forms and links from the pages themselves (each GET page as a
guest, a customer and an admin, parsed with `html.parser`); the query arguments a view reads
are recorded while it runs, so the test can prove every one of them was fuzzed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

from flask import Request, has_request_context, request
from werkzeug.datastructures import ImmutableMultiDict

# Bad values for a field or a query argument; missing and repeated fields come on top.
BAD_VALUES = [
    "\x00",
    "a\x00b",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "-9223372036854775809",
    "-1",
    "0",
    "1.5",
    "9999-12-31",
    "0000-00-00",
    "x" * 10_000,
    "not a number",
    "²",
]
OUT_OF_RANGE_ID = "99999999999999999999"
# A path segment the rule names as a string gets these after its real values.
BAD_SEGMENTS = ["%00", OUT_OF_RANGE_ID, "SWIFT-ROAD-BLACK", "x" * 2000]
LONG_HOST_LABEL = "a" * 64 + ".example"
SKIPPED_ENDPOINTS = {"static", "accounts.logout"}

# The classes the web layer refuses before any view (a global NUL check, a bounded int URL
# converter, TRUSTED_HOSTS); reported apart from the rest so each fix shows on its own.
KNOWN_WEB_LAYER = ("NUL byte", "int path segment out of range", "Host header")


def classify(case: Case) -> str:
    """Name the class of a failing request, for the failure message."""
    if case.host:
        return "Host header"
    if "%00" in case.url or any("\x00" in value for _, value in case.data or []):
        return "NUL byte"
    if case.int_segment_out_of_range:
        return "int path segment out of range"
    return "other"


@dataclass
class Case:
    """One request the walk sends, and what it is meant to show."""

    role: str
    method: str
    url: str
    description: str
    data: list[tuple[str, str]] | None = None
    host: str | None = None
    int_segment_out_of_range: bool = False


@dataclass
class Form:
    """A <form> found on a page: where it goes and its fields with their first values."""

    role: str
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Collect a page's forms (fields, defaults, choices) and its same-site links."""

    def __init__(self, role: str, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.role, self.page_url = role, page_url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        """Record forms, fields and links as they open."""
        attributes = {name: value or "" for name, value in attrs}
        if tag == "option" and self._form is not None and self._select:
            self._form.choices[self._select].append(attributes.get("value", ""))
        elif tag == "a" and attributes.get("href", "").startswith(("/", "?")):
            self.links.append(attributes["href"])
        elif tag == "form":
            action = attributes.get("action") or self.page_url
            method = (attributes.get("method") or "get").lower()
            self._form = Form(self.role, method, action)
            self.forms.append(self._form)
        elif self._form is None or not attributes.get("name"):
            return
        elif tag in ("input", "button"):
            self._input(attributes, tag)
        elif tag == "select":
            self._select = attributes["name"]
            self._form.choices[self._select] = []
        elif tag == "textarea":
            self._textarea = attributes["name"]
            self._form.fields.append((self._textarea, ""))

    def handle_startendtag(self, tag: str, attrs) -> None:
        """Treat <input/> like <input>."""
        self.handle_starttag(tag, attrs)

    def _input(self, attributes: dict, tag: str) -> None:
        kind = attributes.get("type", "submit" if tag == "button" else "text").lower()
        name, value = attributes["name"], attributes.get("value", "")
        if kind == "file":
            return
        if kind in ("checkbox", "radio"):
            self._form.choices.setdefault(name, []).append(value or "on")
            if "checked" not in attributes and name in dict(self._form.fields):
                return
            if "checked" not in attributes and kind == "checkbox":
                return
        self._form.fields.append((name, value))

    def handle_data(self, data: str) -> None:
        """Fill a textarea's default text."""
        if self._form is not None and self._textarea:
            fields = self._form.fields
            fields[-1] = (fields[-1][0], fields[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        """Close forms, selects and textareas."""
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select:
            options = self._form.choices.get(self._select, [])
            self._form.fields.append((self._select, options[0] if options else ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(role: str, page_url: str, html: str) -> tuple[list[Form], list[str]]:
    """Return the forms and same-site links of one page."""
    parser = PageParser(role, page_url)
    parser.feed(html)
    return parser.forms, parser.links


def fill_rule(rule, real_values: dict[str, list[str]]) -> list[tuple[str, bool, bool]]:
    """Return (url, bad segment?, int segment out of range?) for `rule`'s real and bad paths."""
    names = sorted(rule.arguments)
    if not names:
        return [(rule.rule, False, False)]
    base = {name: real_values.get(name, ["x"])[0] for name in names}
    urls = [(_build(rule, base), False, False)]
    for name in names:
        is_int = type(rule._converters[name]).__name__ == "IntegerConverter"
        for value in real_values.get(name, [])[1:]:
            urls.append((_build(rule, {**base, name: value}), False, False))
        for value in [OUT_OF_RANGE_ID] if is_int else BAD_SEGMENTS:
            urls.append((_build(rule, {**base, name: value}), True, is_int))
    return urls


def _build(rule, values: dict[str, str]) -> str:
    path = rule.rule
    for name, value in values.items():
        converter = type(rule._converters[name]).__name__
        encoded = value if value == "%00" else quote(value, safe="")
        prefix = "<int:" if converter == "IntegerConverter" else "<"
        path = path.replace(f"{prefix}{name}>", encoded)
    return path


def form_cases(form: Form) -> list[Case]:
    """Return the baseline, every field with every bad value, each field missing and repeated."""
    cases = [Case(form.role, form.method, form.action, "as shown", list(form.fields))]
    names = list(dict.fromkeys(name for name, _ in form.fields))
    for name in names:
        others = [(key, value) for key, value in form.fields if key != name]
        for value in BAD_VALUES:
            cases.append(
                Case(
                    form.role,
                    form.method,
                    form.action,
                    f"{name}={value[:40]!r}",
                    [*others, (name, value)],
                )
            )
        cases.append(Case(form.role, form.method, form.action, f"{name} missing", others))
        cases.append(
            Case(
                form.role,
                form.method,
                form.action,
                f"{name} repeated",
                [*form.fields, (name, "2"), (name, "x")],
            )
        )
    return cases


def query_cases(role: str, path: str, names: set[str]) -> list[Case]:
    """Return GETs of `path` with each query argument given each bad value, and repeated."""
    cases = []
    for name in sorted(names):
        for value in BAD_VALUES:
            cases.append(Case(role, "get", path, f"?{name}={value[:40]!r}", [(name, value)]))
        cases.append(Case(role, "get", path, f"?{name} repeated", [(name, "2"), (name, "x")]))
    return cases


def split_link(link: str, page_path: str) -> tuple[str, list[str]]:
    """Return a link's path and the names of its query arguments."""
    parts = urlsplit(link)
    return parts.path or page_path, [name for name, _ in parse_qsl(parts.query, True)]


class ArgsRead(set):
    """The (rule, query argument) pairs views read while the walk ran."""


READ = ArgsRead()


class RecordingArgs(ImmutableMultiDict):
    """Query arguments that remember which names a view asked for."""

    def _note(self, key) -> None:
        if has_request_context() and request.__dict__.get("args") is self and request.url_rule:
            READ.add((request.url_rule.rule, key))

    def get(self, key, default=None, type=None):  # noqa: A002 - MultiDict's signature
        """Note the name, then read it."""
        self._note(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        """Note the name, then read it."""
        self._note(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):  # noqa: A002 - MultiDict's signature
        """Note the name, then read it."""
        self._note(key)
        return super().getlist(key, type)

    def __contains__(self, key) -> bool:
        """Note the name, then look."""
        self._note(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    """A request whose query arguments record what the view reads."""

    parameter_storage_class = RecordingArgs
