"""Course packages built in memory for tests: SCORM 1.2 single-SCO, SCORM 2004 multi-SCO, cmi5,
xAPI, broken and hostile ones (zip-slip, symlinks, bombs, XXE, billion laughs)."""

from __future__ import annotations

import io
import stat
import zipfile

SCO_HTML = b"<html><head><title>SCO</title></head><body>Hello</body></html>"

SCORM12_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.golf" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
  <metadata>
    <schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title><imsmd:langstring xml:lang="en-US">Golf Explained</imsmd:langstring></imsmd:title>
        <imsmd:language>en-US</imsmd:language>
        <imsmd:description><imsmd:langstring xml:lang="en-US">All about golf</imsmd:langstring></imsmd:description>
        <imsmd:keyword><imsmd:langstring xml:lang="en-US">golf</imsmd:langstring></imsmd:keyword>
        <imsmd:keyword><imsmd:langstring xml:lang="en-US">sport</imsmd:langstring></imsmd:keyword>
      </imsmd:general>
      <imsmd:technical><imsmd:duration><imsmd:datetime>00:30:00</imsmd:datetime></imsmd:duration></imsmd:technical>
    </imsmd:lom>
  </metadata>
  <organizations default="golf_org">
    <organization identifier="golf_org">
      <title>{title}</title>
      <item identifier="item_1" identifierref="res_1">
        <title>Playing the game</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="{href}">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

SCORM2004_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.multi" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 {edition} Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Multi SCO course</title>
      <item identifier="module_1">
        <title>Module 1</title>
        <item identifier="sco_1" identifierref="r1"><title>Lesson 1</title></item>
        <item identifier="sco_2" identifierref="r2" parameters="?page=2">
          <title>Lesson 2</title>
          <imsss:sequencing><imsss:objectives>
            <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives></imsss:sequencing>
        </item>
      </item>
      <item identifier="glossary" identifierref="r3"><title>Glossary</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="lesson1/index.html"/>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" href="lesson2/index.html"/>
    <resource identifier="r3" type="webcontent" adlcp:scormType="asset" href="glossary.html"/>
  </resources>
</manifest>
"""

CMI5_XML = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.com/cmi5/course">
    <title><langstring lang="en-US">cmi5 Course</langstring></title>
    <description><langstring lang="en-US">A cmi5 course</langstring></description>
  </course>
  <block id="https://example.com/cmi5/block1">
    <title><langstring lang="en-US">Block one</langstring></title>
    <au id="https://example.com/cmi5/au1" moveOn="CompletedOrPassed" masteryScore="0.8">
      <title><langstring lang="en-US">AU one</langstring></title>
      <url>au1/index.html</url>
    </au>
  </block>
  <au id="https://example.com/cmi5/au2">
    <title><langstring lang="en-US">AU two</langstring></title>
    <url>au2.html</url>
  </au>
</courseStructure>
"""

TINCAN_XML = """<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="http://example.com/xapi/course" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">Tin Can course</name>
      <description lang="en-US">An xAPI course</description>
      <launch lang="en-us">index.html</launch>
    </activity>
  </activities>
</tincan>
"""

XXE_MANIFEST = """<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<manifest identifier="x"><organizations><organization identifier="o"><title>&xxe;</title>
</organization></organizations></manifest>
"""

LAUGHS_MANIFEST = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<manifest identifier="x"><organizations><organization identifier="o"><title>&lol3;</title>
</organization></organizations></manifest>
"""


def zip_bytes(files: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def scorm12(title: str = "Golf Explained", href: str = "index.html") -> bytes:
    return zip_bytes({"imsmanifest.xml": SCORM12_MANIFEST.format(title=title, href=href), "index.html": SCO_HTML,
                      "images/ball.png": b"\x89PNG fake"})


def scorm2004(edition: str = "4th") -> bytes:
    return zip_bytes({"imsmanifest.xml": SCORM2004_MANIFEST.format(edition=edition),
                      "lesson1/index.html": SCO_HTML, "lesson2/index.html": SCO_HTML, "glossary.html": SCO_HTML})


def cmi5() -> bytes:
    return zip_bytes({"cmi5.xml": CMI5_XML, "au1/index.html": SCO_HTML, "au2.html": SCO_HTML})


def tincan() -> bytes:
    return zip_bytes({"tincan.xml": TINCAN_XML, "index.html": SCO_HTML})


def broken() -> bytes:
    """A SCORM package whose item refers to a resource the manifest does not define."""
    manifest = SCORM12_MANIFEST.format(title="Broken", href="index.html").replace('identifierref="res_1"',
                                                                                  'identifierref="missing_res"')
    return zip_bytes({"imsmanifest.xml": manifest, "index.html": SCO_HTML})


def with_manifest(manifest: str) -> bytes:
    return zip_bytes({"imsmanifest.xml": manifest, "index.html": SCO_HTML})


def zip_slip() -> bytes:
    return zip_bytes({"imsmanifest.xml": SCORM12_MANIFEST.format(title="t", href="index.html"),
                      "index.html": SCO_HTML, "../../evil.html": b"pwned"})


def with_symlink() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("imsmanifest.xml", SCORM12_MANIFEST.format(title="t", href="index.html"))
        zf.writestr("index.html", SCO_HTML)
        link = zipfile.ZipInfo("passwd")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    return buf.getvalue()


def ratio_bomb(megabytes: int = 20) -> bytes:
    return zip_bytes({"imsmanifest.xml": SCORM12_MANIFEST.format(title="t", href="index.html"),
                      "index.html": SCO_HTML, "zeros.bin": b"\0" * (megabytes * 1024 * 1024)})


def many_entries(count: int) -> bytes:
    files: dict[str, bytes | str] = {"imsmanifest.xml": SCORM12_MANIFEST.format(title="t", href="index.html"),
                                     "index.html": SCO_HTML}
    files.update({f"f/{n}.txt": b"x" for n in range(count)})
    return zip_bytes(files)
