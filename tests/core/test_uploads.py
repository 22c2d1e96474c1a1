"""Member uploads: judged by their content, and refused with a message the member can act on."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from core.uploads import _too_many_pixels, validate_document_upload, validate_image_upload

# --- factories ------------------------------------------------------------------------------


def image_bytes(format_: str = "PNG", size: tuple[int, int] = (20, 20), **save_options) -> bytes:
    buffer = io.BytesIO()
    mode = "P" if format_ == "GIF" else "RGB"
    Image.new(mode, size, color=1 if mode == "P" else (200, 30, 30)).save(
        buffer, format_, **save_options
    )
    return buffer.getvalue()


def animated_gif_bytes(frames: int, size: tuple[int, int] = (10, 10)) -> bytes:
    buffer = io.BytesIO()
    # Each frame a different colour: Pillow merges identical consecutive frames.
    images = [Image.new("RGB", size, (index * 30, 0, 0)) for index in range(frames)]
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


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


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def refusal(validator, uploaded_file) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(uploaded_file)
    return caught.value


# --- images ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_", "name"),
    [("PNG", "photo.png"), ("JPEG", "photo.jpg"), ("WEBP", "photo.webp"), ("GIF", "photo.gif")],
)
def test_a_good_image_passes_and_is_rewound(format_, name):
    uploaded = upload(name, image_bytes(format_))
    uploaded.read(5)
    validate_image_upload(uploaded)
    assert uploaded.tell() == 0


def test_the_format_comes_from_the_content_not_the_name_or_content_type():
    # A PNG with a misleading name and content type is still a usable PNG.
    validate_image_upload(upload("photo.jpg", image_bytes("PNG"), "text/plain"))


def test_a_text_file_named_like_a_photo_is_refused():
    error = refusal(validate_image_upload, upload("photo.jpg", b"Hello, I am not a photo.\n"))
    assert error.code == "invalid_image"
    assert error.messages == [
        "This file is not an image we can use: upload a JPEG, PNG, WebP or GIF file."
    ]


def test_a_refused_image_is_rewound_too():
    uploaded = upload("photo.jpg", b"not an image")
    refusal(validate_image_upload, uploaded)
    assert uploaded.tell() == 0


def test_a_truncated_png_is_refused():
    data = image_bytes("PNG", (64, 64))
    error = refusal(validate_image_upload, upload("photo.png", data[: len(data) // 2]))
    assert error.code == "invalid_image"


def test_a_png_with_a_corrupt_chunk_is_refused():
    data = bytearray(image_bytes("PNG", (64, 64)))
    idat = data.index(b"IDAT")
    data[idat + 8] ^= 0xFF  # flip a byte of the compressed pixels: the chunk's CRC no longer fits
    error = refusal(validate_image_upload, upload("photo.png", bytes(data)))
    assert error.code == "invalid_image"


@pytest.mark.parametrize(
    ("format_", "name"),
    [("BMP", "photo.bmp"), ("TIFF", "photo.tiff"), ("ICO", "favicon.ico")],
)
def test_images_in_other_formats_are_refused(format_, name):
    error = refusal(validate_image_upload, upload(name, image_bytes(format_, (16, 16))))
    assert error.code == "invalid_image"


def test_an_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    error = refusal(validate_image_upload, upload("logo.svg", svg, "image/svg+xml"))
    assert error.code == "invalid_image"


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100)
def test_an_image_with_too_many_pixels_is_refused():
    error = refusal(validate_image_upload, upload("photo.png", image_bytes("PNG", (20, 20))))
    assert error.code == "too_many_pixels"
    assert error.messages[0].startswith(
        "This image has too many pixels (0.0004 megapixels); the limit is 0.0001 megapixels."
    )


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=500)
def test_every_frame_of_an_animation_counts_towards_the_pixel_limit():
    # 10 x 10 pixels a frame is far below the limit; eight frames are not.
    animation = animated_gif_bytes(8)
    assert Image.open(io.BytesIO(animation)).n_frames == 8
    error = refusal(validate_image_upload, upload("anim.gif", animation))
    assert error.code == "too_many_pixels"
    assert "(0.0008 megapixels)" in error.messages[0]


def test_the_pixel_limit_message_uses_megapixels():
    error = _too_many_pixels(52_345_678, 40_000_000)
    assert error.messages[0].startswith(
        "This image has too many pixels (52.3 megapixels); the limit is 40 megapixels."
    )


def test_pillows_decompression_bomb_guard_becomes_a_validation_error(monkeypatch):
    # Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; the warning must stop
    # the upload as surely as the error does.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300)
    error = refusal(validate_image_upload, upload("photo.png", image_bytes("PNG", (20, 20))))
    assert error.code == "too_many_pixels"
    assert "(0.0004 megapixels)" in error.messages[0]


def test_pillows_decompression_bomb_error_becomes_a_validation_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    error = refusal(validate_image_upload, upload("photo.png", image_bytes("PNG", (20, 20))))
    assert error.code == "too_many_pixels"


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    data = image_bytes("PNG", (64, 64))
    assert len(data) > 100
    error = refusal(validate_image_upload, upload("photo.png", data))
    assert error.code == "file_too_large"
    assert error.messages[0].startswith("This image is too large: the limit is 100")


def test_the_size_limit_reads_as_whole_megabytes():
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=10 * 1024 * 1024):
        big = upload("photo.png", b"\x00")
        big.size = 10 * 1024 * 1024 + 1
        error = refusal(validate_image_upload, big)
    assert error.messages == ["This image is too large: the limit is 10 MB."]


def test_image_limits_fall_back_to_defaults_when_unset(settings):
    del settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    del settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    validate_image_upload(upload("photo.png", image_bytes("PNG")))
    big = upload("photo.png", b"\x00")
    big.size = 10 * 1024 * 1024 + 1
    assert refusal(validate_image_upload, big).messages == [
        "This image is too large: the limit is 10 MB."
    ]


def test_an_empty_image_is_refused():
    assert refusal(validate_image_upload, upload("photo.png", b"")).code == "invalid_image"


# --- documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", MINIMAL_PDF),
        ("Report.PDF", MINIMAL_PDF),
        ("report.docx", docx_bytes()),
        ("slides.pptx", zip_bytes({"[Content_Types].xml": b"<Types/>"})),
        ("budget.xlsx", zip_bytes({"[Content_Types].xml": b"<Types/>"})),
        ("report.odt", odf_bytes("application/vnd.oasis.opendocument.text")),
        ("slides.odp", odf_bytes("application/vnd.oasis.opendocument.presentation")),
        ("budget.ods", odf_bytes("application/vnd.oasis.opendocument.spreadsheet")),
        ("report.doc", OLE2_HEADER),
        ("slides.ppt", OLE2_HEADER),
        ("budget.xls", OLE2_HEADER),
        ("letter.rtf", b"{\\rtf1\\ansi Hello}"),
        ("cities.csv", b"city;country\nMechelen;BE\nLeuven;BE\n"),
        ("cities.csv", "\ufeffcity;note\nKraków;zażółć\n".encode()),
        ("notes.txt", "Überall: 城市\n".encode()),
    ],
)
def test_a_good_document_passes_and_is_rewound(name, content):
    uploaded = upload(name, content)
    uploaded.read(3)
    validate_document_upload(uploaded)
    assert uploaded.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "a PDF"),
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "a PDF"),
        ("report.pdf", b" %PDF-1.4 but not at the start", "a PDF"),
        ("report.docx", zip_bytes({"word/document.xml": b"<w:document/>"}), "a Word document"),
        ("report.docx", b"PK\x03\x04 but not really a zip", "a Word document"),
        ("report.docx", MINIMAL_PDF, "a Word document"),
        ("report.odt", zip_bytes({"content.xml": b"<x/>"}), "an OpenDocument text"),
        (
            "report.odt",
            odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "an OpenDocument text",
        ),
        ("report.ods", docx_bytes(), "an OpenDocument spreadsheet"),
        ("report.doc", docx_bytes(), "a Word document"),
        ("budget.xls", b"a,b,c\n1,2,3\n", "an Excel spreadsheet"),
        ("letter.rtf", b"Hello, not RTF at all", "an RTF document"),
    ],
)
def test_a_document_whose_content_does_not_match_its_extension_is_refused(name, content, kind):
    uploaded = upload(name, content)
    error = refusal(validate_document_upload, uploaded)
    assert error.code == "content_mismatch"
    assert error.messages == [
        f"This file says it is {kind} but its content is not: "
        f"save it again as {kind} and upload that."
    ]
    assert uploaded.tell() == 0


def test_the_pdf_mismatch_message_reads_well():
    error = refusal(validate_document_upload, upload("report.pdf", b"MZ\x90\x00"))
    assert error.messages == [
        "This file says it is a PDF but its content is not: save it again as a PDF and upload that."
    ]


def test_an_odt_mimetype_member_is_read_only_as_far_as_needed():
    # A huge, highly compressible "mimetype" member must not be inflated whole.
    content = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 10**7})
    assert len(content) < 100_000
    validate_document_upload(upload("report.odt", content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cities.csv", b"city,country\n\x00\x01\x02\xff\xfe binary"),
        ("cities.csv", "city;country\nBruxelles;België\n".encode("latin-1")),
        ("notes.txt", MINIMAL_PDF + b"\x00\x00"),
        ("notes.txt", image_bytes("PNG")),
        ("notes.txt", "UTF-16 text".encode("utf-16")),
    ],
)
def test_text_files_must_be_utf8_without_nul_bytes(name, content):
    error = refusal(validate_document_upload, upload(name, content))
    assert error.code == "content_mismatch"
    assert "UTF-8" in error.messages[0]


def test_a_large_utf8_text_is_read_in_chunks_across_multibyte_characters():
    # 64 KiB chunk boundaries fall inside multi-byte characters here.
    validate_document_upload(upload("notes.txt", ("ąę城" * 50_000).encode()))


@pytest.mark.parametrize(
    "name", ["setup.exe", "page.html", "logo.svg", "archive.zip", "script.js", "report.pdf.exe"]
)
def test_a_disallowed_extension_is_refused_with_the_allowed_types_listed(name):
    error = refusal(validate_document_upload, upload(name, MINIMAL_PDF))
    assert error.code == "extension_not_allowed"
    message = error.messages[0]
    assert f".{name.rsplit('.', 1)[1]} cannot be uploaded here" in message
    for allowed in (".pdf", ".docx", ".odt", ".xlsx", ".csv", ".txt", ".rtf"):
        assert allowed in message


def test_a_file_without_an_extension_is_refused():
    error = refusal(validate_document_upload, upload("report", MINIMAL_PDF))
    assert error.code == "extension_not_allowed"
    assert "no extension" in error.messages[0]
    assert ".pdf" in error.messages[0]


def test_the_allowed_extensions_come_from_settings(settings):
    settings.WAGTAILDOCS_EXTENSIONS = ["pdf"]
    error = refusal(validate_document_upload, upload("report.docx", docx_bytes()))
    assert error.code == "extension_not_allowed"
    assert error.messages[0].endswith("these types: .pdf.")


def test_an_extension_this_module_cannot_check_is_not_allowed_even_if_configured(settings):
    settings.WAGTAILDOCS_EXTENSIONS = ["pdf", "zip"]
    error = refusal(validate_document_upload, upload("archive.zip", zip_bytes({"a": b"b"})))
    assert error.code == "extension_not_allowed"


def test_a_document_over_the_size_limit_is_refused(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 10
    uploaded = upload("report.pdf", MINIMAL_PDF)
    error = refusal(validate_document_upload, uploaded)
    assert error.code == "file_too_large"
    assert error.messages[0].startswith("This file is too large: the limit is 10")
    assert uploaded.tell() == 0


def test_document_limits_fall_back_to_defaults_when_unset(settings):
    del settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    del settings.WAGTAILDOCS_EXTENSIONS
    validate_document_upload(upload("report.pdf", MINIMAL_PDF))
    big = upload("report.pdf", MINIMAL_PDF)
    big.size = 20 * 1024 * 1024 + 1
    assert refusal(validate_document_upload, big).messages == [
        "This file is too large: the limit is 20 MB."
    ]


def test_an_empty_document_is_refused():
    error = refusal(validate_document_upload, upload("notes.txt", b""))
    assert error.code == "empty_file"
