"""Small SCORM 2004 manifests written in the tests, for sequencing cases the golf samples lack."""

from __future__ import annotations

from courseport.core.packages import sequencing as seq

HEAD = ('<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss" '
        'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3">')


def sco(identifier: str, sequencing: str = "", visible: bool = True) -> str:
    shown = "" if visible else ' isvisible="false"'
    return (f'<item identifier="{identifier}" identifierref="r"{shown}><title>{identifier}</title>'
            f"{sequencing}</item>")


def cluster(identifier: str, items: str, sequencing: str = "") -> str:
    return f'<item identifier="{identifier}"><title>{identifier}</title>{items}{sequencing}</item>'


def manifest(items: str, sequencing: str = "", collection: str = "") -> bytes:
    return (f'{HEAD}<organizations default="o"><organization identifier="o"><title>Course</title>{items}'
            f'{sequencing}</organization></organizations>'
            f'<resources><resource identifier="r" adlcp:scormType="sco" href="a.html"/></resources>'
            f"{collection}</manifest>").encode()


def sequencing(*parts: str) -> str:
    return f"<imsss:sequencing>{''.join(parts)}</imsss:sequencing>"


def course(items: str, root: str = "", collection: str = "") -> seq.ActivityTree:
    return seq.parse_tree(manifest(items, root, collection))


FLOW = '<imsss:controlMode choice="true" flow="true"/>'
CONTENT_SETS_STATUS = '<imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>'
