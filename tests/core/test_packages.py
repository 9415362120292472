"""Package parsing: learning standard, activity tree, LOM metadata, warnings and clear errors."""

from __future__ import annotations

import io

import pytest

from courseport.core.kit.safe_xml import BadXml
from courseport.core.kit.safe_zip import SafeZip
from courseport.core.packages.package_formats import parse_package
from courseport.core.packages.packages import MediaDetails, PackageError, parse_media
from tests import package_builders as pb


class ZipSource:
    def __init__(self, data: bytes):
        self.archive = SafeZip(io.BytesIO(data))

    def paths(self) -> set[str]:
        return set(self.archive.by_path)

    def read(self, path: str, max_bytes: int) -> bytes:
        return self.archive.read(self.archive.by_path[path], max_bytes)


def parse(data: bytes):
    return parse_package(ZipSource(data))


def node(identifier, kind, title, href=None, resource=None, passing=None, children=()):
    return {"external_identifier": identifier, "item_identifier": identifier, "resource_identifier": resource,
            "activity_type": kind, "href": href, "scaled_passing_score": passing, "title": title,
            "children": list(children)}


def test_scorm12_single_sco_with_lom_metadata():
    parsed = parse(pb.scorm12())
    assert parsed.learning_standard == "SCORM12"
    assert parsed.title == "Golf Explained"
    assert parsed.root_activity == node("golf_org", "AGGREGATION", "Golf Explained", children=[
        node("item_1", "SCO", "Playing the game", href="index.html", resource="res_1", passing="0.8")])
    assert parsed.metadata == {"title": "Golf Explained", "title_language": "en-US", "description": "All about golf",
                               "description_language": "en-US", "duration": "00:30:00", "typical_time": None,
                               "keywords": ["golf", "sport"]}
    assert parsed.languages == ["en-US"]
    assert parsed.warnings == []
    assert parsed.launch == "index.html"


@pytest.mark.parametrize("edition,standard", [("2nd", "SCORM20042NDEDITION"), ("3rd", "SCORM20043RDEDITION"),
                                              ("4th", "SCORM20044THEDITION")])
def test_scorm2004_multi_sco_tree(edition, standard):
    parsed = parse(pb.scorm2004(edition))
    assert parsed.learning_standard == standard
    assert parsed.root_activity == node("org", "AGGREGATION", "Multi SCO course", children=[
        node("module_1", "AGGREGATION", "Module 1", children=[
            node("sco_1", "SCO", "Lesson 1", href="lesson1/index.html", resource="r1"),
            node("sco_2", "SCO", "Lesson 2", href="lesson2/index.html?page=2", resource="r2", passing="0.75")]),
        node("glossary", "ASSET", "Glossary", href="glossary.html", resource="r3")])
    assert parsed.metadata == {"keywords": []}


def test_cam_13_is_second_edition_and_missing_version_is_guessed_with_a_warning():
    manifest = pb.SCORM2004_MANIFEST.format(edition="4th")
    assert parse(pb.with_manifest(manifest.replace("2004 4th Edition", "CAM 1.3"))).learning_standard \
        == "SCORM20042NDEDITION"
    parsed = parse(pb.with_manifest(manifest.replace("<schemaversion>2004 4th Edition</schemaversion>", "")))
    assert parsed.learning_standard == "SCORM20043RDEDITION"
    assert parsed.warnings[0] == "imsmanifest.xml has no schemaversion; treated as SCORM20043RDEDITION (its namespaces)"


def test_cmi5_course_structure():
    parsed = parse(pb.cmi5())
    assert parsed.learning_standard == "CMI5"
    assert parsed.title == "cmi5 Course"
    assert parsed.xapi_activity_id == "https://example.com/cmi5/course"
    assert parsed.root_activity == node("https://example.com/cmi5/course", "AGGREGATION", "cmi5 Course", children=[
        node("https://example.com/cmi5/block1", "AGGREGATION", "Block one", children=[
            {**node("https://example.com/cmi5/au1", "SCO", "AU one", href="au1/index.html", passing="0.8"),
             "move_on": "CompletedOrPassed", "launch_method": "AnyWindow", "launch_parameters": None}]),
        {**node("https://example.com/cmi5/au2", "SCO", "AU two", href="au2.html"),
         "move_on": "NotApplicable", "launch_method": "AnyWindow", "launch_parameters": None}])
    assert parsed.metadata["description"] == "A cmi5 course"


def test_tincan_package():
    parsed = parse(pb.tincan())
    assert (parsed.learning_standard, parsed.title, parsed.launch) == ("XAPI", "Tin Can course", "index.html")
    assert parsed.xapi_activity_id == "http://example.com/xapi/course"


def test_manifest_in_a_single_folder_is_found_with_a_warning():
    data = pb.zip_bytes({"course/imsmanifest.xml": pb.SCORM12_MANIFEST.format(title="T", href="index.html"),
                         "course/index.html": pb.SCO_HTML})
    parsed = parse(data)
    assert parsed.launch == "course/index.html"
    assert parsed.warnings == ["imsmanifest.xml is in the folder 'course', not at the package root"]


def test_missing_launch_file_is_a_warning():
    parsed = parse(pb.scorm12(href="missing.html"))
    assert parsed.warnings == ["resource 'res_1' launches 'missing.html', which is not in the package"]


@pytest.mark.parametrize("data,message", [
    (pb.broken(),
     "imsmanifest.xml: item 'item_1' refers to resource 'missing_res', which the manifest does not define"),
    (pb.zip_bytes({"index.html": "x"}),
     "the package has no imsmanifest.xml (SCORM), cmi5.xml (cmi5) or tincan.xml (xAPI) at its root"),
    (pb.with_manifest("<manifest><organizations/></manifest>"), "imsmanifest.xml has no <organization>"),
    (pb.with_manifest("<notamanifest/>"), "imsmanifest.xml's root element is <notamanifest>, not <manifest>"),
    (pb.zip_bytes({"cmi5.xml": "<courseStructure><course id='c'/></courseStructure>"}),
     "cmi5.xml has no <au> (assignable unit)"),
    (pb.zip_bytes({"tincan.xml": "<tincan><activities/></tincan>"}), "tincan.xml has no <activity> with a <launch>"),
])
def test_broken_packages_name_what_is_wrong(data, message):
    with pytest.raises(PackageError) as err:
        parse(data)
    assert err.value.message == message


def test_malformed_xml_names_the_file_and_line():
    with pytest.raises(BadXml) as err:
        parse(pb.with_manifest("<manifest><organizations></manifest>"))
    assert err.value.message.startswith("imsmanifest.xml is not well-formed XML: mismatched tag: line 1")


@pytest.mark.parametrize("manifest", [pb.XXE_MANIFEST, pb.LAUGHS_MANIFEST])
def test_entities_are_refused(manifest):
    with pytest.raises(BadXml) as err:
        parse(pb.with_manifest(manifest))
    assert err.value.message.startswith("imsmanifest.xml declares XML entities or external references")


def test_media_file_course():
    parsed = parse_media("talk.mp4", "talk.mp4", MediaDetails(title="A talk", duration_seconds=90, language="en"))
    assert (parsed.learning_standard, parsed.title, parsed.launch, parsed.languages) == \
        ("UNKNOWN", "A talk", "talk.mp4", ["en"])
    assert parsed.metadata["duration"] == "PT90S"


def test_aicc_packages_are_refused_naming_aicc():
    data = pb.zip_bytes({"course.crs": "[Course]\nCourse_ID=C1\n", "course.au": "x", "course.des": "x",
                         "index.html": "x"})
    with pytest.raises(PackageError, match=r"^AICC \(HACP\) packages are not supported"):
        parse(data)
