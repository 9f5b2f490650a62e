"""The QR code to the online policy, as vector SVG (sharp at any print size)."""

from __future__ import annotations


def qr_svg_data_uri(url: str) -> str:
    """A data: URI of an SVG QR code for url, black on white with the standard four-module quiet zone.

    Error correction M survives a crease or a smudge on a folded leaflet.
    """
    import segno   # here: a build whose leaflets come from the cache never draws a code
    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(border=4, dark="#000", light="#fff", omitsize=True)
