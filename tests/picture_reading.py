"""Reading the overview's pictures as a browser would: the SVG drawing, the tooltips, the legend."""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET

NS = {"s": "http://www.w3.org/2000/svg"}
SOURCE = re.compile(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
TIP = re.compile(r'<div class="tip" title="([^"]*)"')
NAME = re.compile(r'<span class="name">([^<]*)</span>')
LABEL = re.compile(r'<figure [^>]*aria-label="([^"]*)"')


def drawing(picture: str) -> ET.Element:
    """The SVG image: it must parse, as the browser's SVG parser would."""
    found = SOURCE.search(picture)
    assert found, "no drawing in the picture"
    return ET.fromstring(base64.b64decode(found.group(1)))


def tips(picture: str) -> list[str]:
    """What each tooltip says, in order (days or bars)."""
    return [html.unescape(text) for text in TIP.findall(picture)]


def legend(picture: str) -> list[str]:
    return [html.unescape(text) for text in NAME.findall(picture)]


def spoken(picture: str) -> str:
    """The picture's name and description, as a screen reader reads them."""
    found = LABEL.search(picture)
    assert found, "the picture has no accessible name"
    return html.unescape(found.group(1))


def texts(picture: str) -> list[str]:
    """The words in the drawing: axis labels and titles."""
    return [str(node.text) for node in drawing(picture).iterfind(".//s:text", NS)]
