"""Hostile text at the parsers (issue 11, findings 3, 5 and 9): shapes that made a regular expression
or a tree builder take seconds (and, in C regex code, hold the GIL) now parse in linear time or are
refused with a domain error naming the field; over-deep and over-large XML is refused while parsed.
The results are asserted, not the time; the shapes whose result did not change are run in a child
process with a generous deadline, so that the test is bounded even against the old quadratic code."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from courseport.core.courses.grading_standards import DEFAULT_SCHEME
from courseport.core.coursework import grades
from courseport.core.kit import html, safe_xml
from courseport.core.kit.errors import DomainError, InvalidInput
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.safe_xml import BadXml
from courseport.core.kit.safe_zip import ArchiveSource, SafeZip
from courseport.core.packages.cartridges import parse_cartridge
from courseport.core.packages.package_formats import parse_package
from courseport.schema.content import ContentItem
from tests import package_builders as pb
from tests.dialects.d2l.cartridge import cartridge


def in_child(code: str, deadline: float = 60.0) -> str:
    """Run `code` in a fresh interpreter and return what it prints; a run past `deadline` fails the test
    (the linear code takes well under a second; the quadratic code took minutes)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=deadline, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def deep_scorm(depth: int) -> bytes:
    items = "".join(f'<item identifier="i{n}">' for n in range(depth)) + "</item>" * depth
    manifest = pb.SCORM12_MANIFEST.format(title="Deep", href="index.html").replace(
        '<item identifier="item_1"', items + '<item identifier="item_1"')
    return pb.with_manifest(manifest)


def parsed_cartridge(data: bytes):
    return parse_cartridge(ArchiveSource(SafeZip(io.BytesIO(data))))


def test_long_posted_grade_is_refused_before_parsing():
    assignment = ContentItem(points=10.0, data={"grading_type": "points"})
    with pytest.raises(InvalidInput) as caught:
        grades.score_for_posted_grade(assignment, "1" * 20_000 + "x", DEFAULT_SCHEME)  # 8 s in the old pattern
    assert (caught.value.field, caught.value.message) == (
        "submission[posted_grade]", "a grade may be at most 255 characters long")
    assert grades.score_for_posted_grade(assignment, "0" * 250 + "8", DEFAULT_SCHEME) == 8.0
    assert grades.score_for_posted_grade(assignment, " 85% ", DEFAULT_SCHEME) == 8.5
    assert grades.score_for_posted_grade(assignment, "-.5", DEFAULT_SCHEME) == -0.5
    for bad in ("1.", "1.5.5", "%", "8%%", "1e3"):
        with pytest.raises(InvalidInput):
            grades.score_for_posted_grade(assignment, bad, DEFAULT_SCHEME)


def test_cartridge_page_with_40000_unclosed_titles_imports_at_once():
    """The old `<title[^>]*>(.*?)</title>` search took minutes on this 1 KB package."""
    out = in_child("""
        import io
        from courseport.core.packages.cartridges import parse_cartridge
        from courseport.core.kit.safe_zip import ArchiveSource, SafeZip
        from tests.dialects.d2l.cartridge import cartridge
        page = parse_cartridge(ArchiveSource(SafeZip(io.BytesIO(cartridge(**{"pages/intro.html": "<title>" * 40000})))))
        print(repr((page.resources["r_page"].title, page.resources["r_page"].body)))
    """)
    assert out == repr(("intro.html", ""))


def test_cartridge_page_title_and_body():
    page = parsed_cartridge(cartridge(**{"pages/intro.html": (
        "<!-- İİİ --><html><HEAD><Title lang=en>\n Tom &amp;\tJerry </TITLE><style>p{}</style></HEAD>"
        "<body onload=x()><p>Hi<script>x()</script></p></body></html>")})).resources["r_page"]
    assert (page.title, page.body) == ("Tom & Jerry", "<p>Hi</p>")
    long = parsed_cartridge(cartridge(**{"pages/intro.html": f"<title>{'t' * 1000}</title>x"})).resources["r_page"]
    assert (long.title, long.body) == ("t" * 255, "x")


def test_form_keys_full_of_brackets_are_split_in_one_pass():
    """`\\[([^\\]]*)\\]` over 60,000 `[` took minutes (12 s at 20,000) holding the GIL."""
    out = in_child("""
        from courseport.dialects.params import nest
        print(repr(nest([("a" + "[" * 60000, "v"), ("course[name]", "n"), ("x[y][z]", "1"), ("k[a[b]]", "2")])))
    """)
    assert out == repr({"a": "v", "course": {"name": "n"}, "x": {"y": {"z": "1"}}, "k": {"a[b": "2"}})


@pytest.mark.parametrize("shape", [
    "<span>" * 20_000 + "</p>" * 20_000,  # 16 s in nh3 (html5ever scans the open elements per tag)
    "<div>" * 100_000,  # minutes
    "".join(f"<b><i id={n}>x</b>y" for n in range(20_000)),  # formatting elements the parser reopens
])
def test_html_nested_past_the_limit_is_refused_naming_the_field(shape):
    with pytest.raises(InvalidInput) as caught:
        sanitize_html(shape, "course[syllabus_body]")
    assert (caught.value.field, caught.value.message) == (
        "course[syllabus_body]", "course[syllabus_body] nests HTML elements more than 512 deep")


def test_html_longer_than_the_cap_is_refused():
    with pytest.raises(InvalidInput) as caught:
        sanitize_html("<p>" + "x" * 600_000 + "</p>", "message")
    assert caught.value.message == "message is longer than 512000 characters"


@pytest.mark.parametrize("text,depth", [
    ("<div><p>x</div>" * 2000, 2),  # unclosed paragraphs
    ("<ul>" + "<li><p>x" * 2000 + "</ul>", 3),  # unclosed items and paragraphs
    ("<table>" + "<tr><td>x" * 2000 + "</table>", 3),  # unclosed rows and cells
    ("<dl>" + "<dt>a<dd>b" * 2000, 2),
    ("<b><i>x</b></i>" * 2000, 2),  # misnested formatting
    ("<span><p>x</span>" * 2000, 3),
    ("<script>" + "<div>" * 2000 + "</script><p>x</p>", 1),  # raw text is not markup
    ("<div>x</div>" * 2000, 1),
])
def test_sloppy_but_real_html_stays_well_under_the_limit(text, depth):
    assert html.nesting_depth(text) == depth
    assert sanitize_html(text)


def test_xml_nested_past_the_limit_is_refused_while_parsed():
    with pytest.raises(BadXml) as caught:
        safe_xml.parse_xml(b"<a>" * 5000 + b"</a>" * 5000, "imsmanifest.xml")
    assert caught.value.message == "imsmanifest.xml nests its elements more than 100 levels deep, which is not allowed"
    assert safe_xml.parse_xml(b"<a>" * 100 + b"</a>" * 100, "x.xml").tag == "a"


def test_xml_with_too_many_elements_or_bytes_is_refused():
    with pytest.raises(BadXml) as caught:
        safe_xml.parse_xml(b"<r>" + b"<f/>" * 250_001 + b"</r>", "imsmanifest.xml")
    assert caught.value.message == "imsmanifest.xml has more than 250000 elements, which is not allowed"
    with pytest.raises(BadXml) as caught:
        safe_xml.parse_xml(b" " * (16 * 1024 * 1024 + 1), "quiz.xml")
    assert caught.value.message == "quiz.xml is larger than 16 MiB, which is not allowed"


def test_deep_manifests_fail_with_a_domain_error_in_every_package_parser():
    """A 5,000-deep SCORM item tree ended in RecursionError (retried); now a non-retryable domain error."""
    with pytest.raises(DomainError) as caught:
        parse_package(ArchiveSource(SafeZip(io.BytesIO(deep_scorm(5000)))))
    assert caught.value.message == "imsmanifest.xml nests its elements more than 100 levels deep, which is not allowed"
    deep_cc = cartridge(**{"imsmanifest.xml": "<manifest>" + "<item>" * 5000 + "</item>" * 5000 + "</manifest>"})
    with pytest.raises(DomainError):
        parsed_cartridge(deep_cc)
    deep_quiz = cartridge(**{"quiz.xml": "<questestinterop>" + "<x>" * 3000 + "</x>" * 3000 + "</questestinterop>"})
    with pytest.raises(DomainError) as caught:
        parsed_cartridge(deep_quiz)
    assert caught.value.message == "quiz.xml nests its elements more than 100 levels deep, which is not allowed"


def test_cartridge_web_links_follow_the_module_item_url_rule():
    bad = ('<webLink xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"><title>Docs</title>'
           '<url href=" JavaScript:alert(document.cookie)"/></webLink>')
    parsed = parsed_cartridge(cartridge(**{"link.xml": bad}))
    assert "r_link" not in parsed.resources
    assert [i["resource"] for m in parsed.modules for i in m["items"]] == ["r_page", "r_topic", "r_quiz"]
    assert ("web link r_link points at 'JavaScript:alert(document.cookie)', which is not an http or https URL; "
            "it is not imported") in parsed.warnings
