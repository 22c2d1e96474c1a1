"""Files to upload in tests: good ones, damaged ones and hostile ones, built in memory."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

# --- images --------------------------------------------------------------------------------


def image_bytes(format_: str = "PNG", size: tuple[int, int] = (20, 20), mode=None) -> bytes:
    buffer = io.BytesIO()
    mode = mode or ("P" if format_ == "GIF" else "RGB")
    color = {"P": 1, "1": 0}.get(mode, (200, 30, 30))
    Image.new(mode, size, color=color).save(buffer, format_)
    return buffer.getvalue()


def animated_gif_bytes(frames: int, size: tuple[int, int] = (10, 10)) -> bytes:
    buffer = io.BytesIO()
    # Each frame a different colour from the one before: Pillow merges identical neighbours.
    images = [Image.new("RGB", size, ((index % 8) * 30, 0, 0)) for index in range(frames)]
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def png_with_script() -> bytes:
    """A valid PNG with an HTML script in a text chunk: harmless as an image, not as a page."""
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>document.title='pwned';alert(document.cookie)</script>")
    Image.new("RGB", (8, 8), (10, 79, 150)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def broken_zlib_png(size: tuple[int, int] = (64, 64)) -> bytes:
    """A PNG whose compressed pixels are garbage but whose chunk checksums are right."""
    data = bytearray(image_bytes("PNG", size))
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    pixels = bytes(byte ^ 0x55 for byte in data[idat + 4 : idat + 4 + length])
    data[idat + 4 : idat + 4 + length] = pixels
    data[idat + 4 + length : idat + 8 + length] = struct.pack(
        ">I", zlib.crc32(b"IDAT" + pixels) & 0xFFFFFFFF
    )
    return bytes(data)


def truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((256, 256), 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[:3_000]


# --- documents and uploads -------------------------------------------------------------


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"/>',
            "word/document.xml": b"<w:document/>",
        }
    )


def odf_bytes(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # ODF wants the mimetype member first and stored uncompressed.
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


ODF_MIMETYPES_TEXT = "application/vnd.oasis.opendocument.text"

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
