"""User HTML made safe to show: one allow-list sanitiser (nh3) shared by every API that stores or previews HTML.

The allow-list follows Canvas's: formatting, links with safe schemes, images and tables stay;
scripts, event handlers, frames, forms, SVG/MathML and dangerous CSS go.
"""

from __future__ import annotations

import re
from functools import cache

import nh3
from sqlalchemy.orm import Session

from courseport.core.courses import readable_course
from courseport.schema import User

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


def sanitize_html(html: str) -> str:
    """`html` with everything outside the allow-list removed; text content of unknown tags is kept."""
    return _cleaner().clean(html or "")


def preview_course_html(db: Session, actor: User, course_ref: str | int, html: str | None) -> str:
    """The HTML as the course would show it; any member who can read the course may ask."""
    readable_course(db, actor, course_ref)
    return sanitize_html(html or "")
