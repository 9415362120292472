"""User HTML made safe to show: one allow-list sanitiser (nh3) shared by every API that stores or previews HTML.

The allow-list follows Canvas's: formatting, links with safe schemes, images and tables stay;
scripts, event handlers, frames, forms, SVG/MathML and dangerous CSS go.

HTML tree building scans the stack of open elements on many tags, so its time grows with
length x nesting depth: 200 KB of unclosed `<span>` took nh3 16 s. Input is therefore capped in
length (Canvas's long-text limit) and in nesting, estimated by one linear pass over the tags, before
nh3 sees it; over either cap is an InvalidInput naming the field.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from html import escape, unescape

import nh3

from courseport.core.kit.errors import InvalidInput

MAX_HTML_CHARS = 500 * 1024
# Browsers stop nesting at 512 (Blink's parser limit); no real page comes near.
MAX_HTML_DEPTH = 512

ALLOWED_TAGS = frozenset({
    "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small",
    "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "tt", "u", "ul", "var", "wbr",
})
# Tags removed together with everything inside them (their content is code or foreign markup, not text).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed",
    "template", "svg", "math", "title", "xmp", "textarea", "select", "head",
})
# No `cite` attribute: nh3 checks URL schemes on href/src but lets `cite="javascript:..."` through.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir", "class", "id", "style", "role"},
    "a": {"href", "target", "name"},
    "img": {"src", "alt", "width", "height"},
    "table": {"border", "cellpadding", "cellspacing", "summary", "width", "align"},
    "td": {"colspan", "rowspan", "headers", "scope", "width", "align", "valign"},
    "th": {"colspan", "rowspan", "headers", "scope", "width", "align", "valign"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "time": {"datetime"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "text-align", "text-decoration", "text-indent", "font-weight", "font-style",
    "font-size", "font-family", "line-height", "vertical-align", "white-space", "list-style-type",
    "width", "height", "max-width", "min-width", "float", "border", "border-color", "border-style",
    "border-width", "border-collapse", "margin", "margin-left", "margin-right", "margin-top", "margin-bottom",
    "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                       "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "image"})
# The HTML standard's element categories that decide which end tags close what (tree construction).
_SCOPE = frozenset({"applet", "button", "caption", "html", "table", "td", "th", "marquee", "object", "template"})
_SPECIAL = _SCOPE | VOID_TAGS | frozenset({
    "address", "article", "aside", "blockquote", "body", "button", "center", "colgroup", "dd", "details",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hgroup", "iframe", "li", "listing", "main", "menu", "nav",
    "noembed", "noframes", "noscript", "ol", "p", "plaintext", "pre", "script", "search", "section", "select",
    "style", "summary", "tbody", "textarea", "tfoot", "thead", "title", "tr", "ul", "xmp"})
_FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
                         "tt", "u"})
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section",
    "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "li", "dd", "dt", "hr", "xmp"})
# A start tag of one of these closes an element of its group open on top of the stack (`<li>` after `<li>`).
_CLOSES_SIBLING = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"},
                   "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"}, **dict.fromkeys(
                       ("tbody", "thead", "tfoot"), {"tbody", "thead", "tfoot", "tr", "td", "th"})}
_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "plaintext"})
_TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")  # a tag's name: no nesting quantifier, linear
# CSS that runs code or fetches from elsewhere (old IE expression(), bindings, url()), or hides such
# tokens behind escapes and comments: the whole style attribute goes.
_DANGEROUS_STYLE = re.compile(r"expression|url\(|script:|behavior|binding|@import|\\|/\*|[<>&]")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style" and _DANGEROUS_STYLE.search(re.sub(r"\s+", "", value.lower())):
        return None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT), attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute, url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES), generic_attribute_prefixes={"aria-"},
    )


def sanitize_html(html: str | None, field: str = "body") -> str:
    """`html` with everything outside the allow-list removed; text content of unknown tags is kept.
    Raises InvalidInput naming `field` when the HTML is too long or nested too deep to parse in bounded time."""
    html = html or ""
    if len(html) > MAX_HTML_CHARS:
        raise InvalidInput(field, f"{field} is longer than {MAX_HTML_CHARS} characters")
    if nesting_depth(html) > MAX_HTML_DEPTH:
        raise InvalidInput(field, f"{field} nests HTML elements more than {MAX_HTML_DEPTH} deep")
    return _cleaner().clean(html)


_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote|pre)>", re.IGNORECASE)


def plain_text(html: str | None) -> str:
    """The text of (sanitised) HTML, its line and block breaks as newlines, entities decoded."""
    if not html:
        return ""
    return unescape(nh3.clean(_BREAKS.sub("\n", html), tags=set())).strip()


def text_as_html(text: str | None) -> str:
    """Plain text as HTML showing the same (escaped, newlines as <br>)."""
    return escape(text or "").replace("\n", "<br>")


def nesting_depth(html: str, stop_at: int = MAX_HTML_DEPTH) -> int:
    """How deep an HTML parser may nest the elements of `html`, estimated generously in one pass over
    its tags (a tag inside a comment counts too); counting stops past `stop_at`."""
    if html.count("<") <= stop_at:
        return html.count("<")  # cannot be deeper than it has tags
    tree, lowered, at = _OpenElements(), html.lower(), 0
    while tree.deepest <= stop_at and (match := _TAG.search(lowered, at)):
        name, at = match.group(2), match.end()
        if match.group(1):
            tree.end(name)
            continue
        tree.start(name)
        if name in _RAW_TEXT:  # its content is text up to its end tag
            at = lowered.find("</" + name, at)
            if at < 0:
                break
    return tree.deepest


class _OpenElements:
    """The HTML tree builder's stack of open elements, simplified so that it never closes more than a
    parser would: an end tag closes its element only across elements the parser closes too (any
    element up to a scope boundary for block end tags, non-special ones for the others), formatting
    elements closed on the way may be reopened by the parser and stay counted until their end tag."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.at: dict[str, list[int]] = defaultdict(list)  # name -> its positions in the stack
        self.walls: dict[bool, list[int]] = {True: [], False: []}  # positions of scope / special elements
        self.reopenable: Counter[str] = Counter()
        self.reopened = 0  # the sum of reopenable
        self.deepest = 0

    def start(self, name: str) -> None:
        if name in VOID_TAGS:
            return
        if name in _CLOSES_P and self.at["p"]:
            self.end("p")
        while self.stack and self.stack[-1] in _CLOSES_SIBLING.get(name, ()):
            self._pop()
        if name in _SCOPE:
            self.walls[True].append(len(self.stack))
        if name in _SPECIAL:
            self.walls[False].append(len(self.stack))
        self.at[name].append(len(self.stack))
        self.stack.append(name)
        self.deepest = max(self.deepest, len(self.stack) + self.reopened)

    def end(self, name: str) -> None:
        if not self.at[name]:
            if self.reopenable[name]:
                self.reopenable[name] -= 1
                self.reopened -= 1
            return
        walls = self.walls[name in _SPECIAL]
        if walls and walls[-1] > self.at[name][-1]:
            return  # the parser ignores this end tag (or restructures without getting shallower)
        while (closed := self._pop()) != name:
            if closed in _FORMATTING:
                self.reopenable[closed] += 1
                self.reopened += 1

    def _pop(self) -> str:
        name = self.stack.pop()
        self.at[name].pop()
        if name in _SPECIAL:
            for walls in self.walls.values():
                if walls and walls[-1] == len(self.stack):
                    walls.pop()
        return name

