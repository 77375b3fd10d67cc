"""Small, valid evidence files made on the fly: for the demo data and the tests, never for users."""

import io

from PIL import Image, ImageDraw


def _pdf_text(value):
    return (
        value.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    )


def pdf_bytes(*lines):
    """A one-page A4 PDF showing ``lines`` in Helvetica, with a correct cross-reference table."""
    stream = (
        b"BT /F1 12 Tf 56 780 Td 16 TL "
        + b" ".join(b"(" + _pdf_text(line) + b") '" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.writelines(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def image_bytes(text, image_format="PNG", size=(480, 270)):
    """A small picture with ``text`` on it, as PNG or JPEG bytes."""
    image = Image.new("RGB", size, (11, 79, 108))
    ImageDraw.Draw(image).text((16, size[1] // 2 - 8), text, fill=(242, 165, 65))
    out = io.BytesIO()
    image.save(out, format=image_format)
    return out.getvalue()


def mp4_bytes():
    """The header of an MP4 file (an ``ftyp`` box): enough for content sniffing, not for playing."""
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
