"""Builds small IMS Common Cartridge 1.3 packages for the import tests."""

from __future__ import annotations

import io
import zipfile

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1">
  <metadata><schema>IMS Common Cartridge</schema><schemaversion>1.3.0</schemaversion></metadata>
  <organizations><organization identifier="o1" structure="rooted-hierarchy"><item identifier="root">
    <item identifier="w1"><title>Week 1</title>
      <item identifier="i1" identifierref="r_page"><title>Read me</title></item>
      <item identifier="i2" identifierref="r_link"><title>Docs</title></item>
      <item identifier="i3" identifierref="r_topic"><title>Say hello</title></item>
      <item identifier="i4" identifierref="r_quiz"><title>Check</title></item>
    </item></item></organization></organizations>
  <resources>
    <resource identifier="r_page" type="webcontent" href="pages/intro.html"><file href="pages/intro.html"/></resource>
    <resource identifier="r_link" type="imswl_xmlv1p3"><file href="link.xml"/></resource>
    <resource identifier="r_topic" type="imsdt_xmlv1p3"><file href="topic.xml"/></resource>
    <resource identifier="r_quiz" type="imsqti_xmlv1p2/imscc_xmlv1p3/assessment"><file href="quiz.xml"/></resource>
    <resource identifier="r_lti" type="imsbasiclti_xmlv1p3"><file href="lti.xml"/></resource>
  </resources>
</manifest>"""
PAGE = "<html><head><title>Introduction</title></head><body><p>Hello <script>x()</script>class</p></body></html>"
LINK = ('<webLink xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"><title>Docs</title>'
        '<url href="https://example.org/docs"/></webLink>')
TOPIC = ('<topic xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3"><title>Say hello</title>'
         '<text texttype="text/html">&lt;p&gt;Introduce yourself&lt;/p&gt;</text></topic>')
QUIZ = """<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2"><assessment ident="a1" title="Check">
<section ident="s1"><item ident="q1" title="Colour"><itemmetadata><qtimetadata><qtimetadatafield>
<fieldlabel>cc_profile</fieldlabel><fieldentry>cc.multiple_choice.v0p1</fieldentry></qtimetadatafield></qtimetadata>
</itemmetadata><presentation><material><mattext texttype="text/html">Sky colour?</mattext></material>
<response_lid ident="r1"><render_choice><response_label ident="a"><material><mattext>Blue</mattext></material>
</response_label><response_label ident="b"><material><mattext>Green</mattext></material></response_label>
</render_choice></response_lid></presentation></item></section></assessment></questestinterop>"""


def cartridge(**replace: str) -> bytes:
    files = {"imsmanifest.xml": MANIFEST, "pages/intro.html": PAGE, "link.xml": LINK, "topic.xml": TOPIC,
             "quiz.xml": QUIZ, "lti.xml": "<cartridge_basiclti_link/>", **replace}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()
