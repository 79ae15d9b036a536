"""The TOTP enrolment's QR code: drawn on the terminal, or as a PNG file."""

from __future__ import annotations

QR_BORDER = 2  # modules of quiet zone: enough for phone scanners, keeps the code 80-column safe
QR_PNG_SCALE = 8


def render_qr(text: str, border: int = QR_BORDER) -> list[str]:
    """`text` as a QR code drawn with half blocks: two module rows per terminal line.

    Light modules (and the quiet zone) are drawn as foreground blocks, like `qrencode -t UTF8`,
    so on the usual light-on-dark terminal the code reads dark on light as scanners expect.
    """
    import segno

    qr = segno.make(text, micro=False)
    rows = [[bool(cell) for cell in row] for row in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))  # below the code: terminal background
    glyph = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}
    return [
        "".join(
            glyph[(top_dark, bottom_dark)]
            for top_dark, bottom_dark in zip(top, bottom, strict=True)
        )
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


def qr_png_bytes(uri: str) -> bytes:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(uri, micro=False).save(buffer, kind="png", scale=QR_PNG_SCALE, border=4)
    return buffer.getvalue()
