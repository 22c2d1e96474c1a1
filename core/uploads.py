"""Checks on the images and documents that members upload with a practice.

A file is judged by what is inside it, never by its name or by the content type the browser
sends: both are chosen by whoever uploads it. Images must be opened and verified by Pillow;
documents must start with the bytes their format always starts with.

Each check raises a ``ValidationError`` whose message is shown next to the form field, so it
says what is wrong and what the member can do about it. Limits come from the same settings
Wagtail uses for its own image and document uploads, read when the check runs.

Both validators rewind the file when they finish, so it can be saved afterwards.
"""

import codecs
import contextlib
import struct
import warnings
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image

__all__ = [
    "DEFAULT_DOCUMENT_EXTENSIONS",
    "allowed_document_extensions",
    "validate_document_upload",
    "validate_image_upload",
]

MB = 1024 * 1024
DEFAULT_IMAGE_MAX_UPLOAD_SIZE = 10 * MB
DEFAULT_IMAGE_MAX_PIXELS = 40_000_000
DEFAULT_DOCUMENT_MAX_UPLOAD_SIZE = 20 * MB

# Pillow format names. Pillow is only asked to try these, so a file in another format (or one
# that merely claims to be a JPEG) is refused before any exotic decoder reads it.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"

OOXML_EXTENSIONS = frozenset({"docx", "pptx", "xlsx"})
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
OLE2_EXTENSIONS = frozenset({"doc", "ppt", "xls"})
TEXT_EXTENSIONS = frozenset({"csv", "txt"})

# What each extension is called in a message, with its article: "says it is a PDF".
DOCUMENT_KINDS = {
    "pdf": _("a PDF"),
    "doc": _("a Word document"),
    "docx": _("a Word document"),
    "odt": _("an OpenDocument text"),
    "ppt": _("a PowerPoint presentation"),
    "pptx": _("a PowerPoint presentation"),
    "odp": _("an OpenDocument presentation"),
    "xls": _("an Excel spreadsheet"),
    "xlsx": _("an Excel spreadsheet"),
    "ods": _("an OpenDocument spreadsheet"),
    "csv": _("a CSV file"),
    "txt": _("a text file"),
    "rtf": _("an RTF document"),
}

# Wagtail's own default is None (anything goes); here the settings can only narrow this list,
# because a format is only accepted if this module knows how to look inside it.
DEFAULT_DOCUMENT_EXTENSIONS = tuple(DOCUMENT_KINDS)

# Pillow raises a mix of exception types on broken or hostile files; all mean "not usable".
_PILLOW_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)
_TEXT_CHUNK = 64 * 1024


# --- shared helpers -------------------------------------------------------------------------


def _format_size(num_bytes: int) -> str:
    """Whole megabytes as "10 MB"; anything else as Django's file size filter writes it."""
    if num_bytes >= MB and num_bytes % MB == 0:
        return f"{num_bytes // MB} MB"
    return filesizeformat(num_bytes)


def _format_megapixels(pixels: int) -> str:
    megapixels = pixels / 1_000_000
    if megapixels >= 1:
        return f"{megapixels:.1f}".removesuffix(".0")
    return f"{megapixels:.2g}"


def _rewind(uploaded_file) -> None:
    # A closed or unseekable file has nothing to rewind; saving it will say so.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded_file.seek(0)


def _file_size(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
        uploaded_file.seek(0)
    return size


def _check_size(uploaded_file, limit: int, message: str) -> None:
    if _file_size(uploaded_file) > limit:
        raise ValidationError(message % {"limit": _format_size(limit)}, code="file_too_large")


# --- images ---------------------------------------------------------------------------------


def _not_an_image() -> ValidationError:
    return ValidationError(
        gettext("This file is not an image we can use: upload a JPEG, PNG, WebP or GIF file."),
        code="invalid_image",
    )


def _too_many_pixels(pixels: int, limit: int) -> ValidationError:
    return ValidationError(
        gettext(
            "This image has too many pixels (%(pixels)s megapixels); the limit is "
            "%(limit)s megapixels. Make it smaller and upload it again."
        )
        % {"pixels": _format_megapixels(pixels), "limit": _format_megapixels(limit)},
        code="too_many_pixels",
    )


def validate_image_upload(uploaded_file) -> None:
    """Refuse an upload unless it is a JPEG, PNG, WebP or GIF that Pillow can open and verify.

    Checks, in order: the file size (``WAGTAILIMAGES_MAX_UPLOAD_SIZE``); the format Pillow
    detects from the content; the number of pixels, counted over every frame of an animation
    and read from the header before anything is decoded (``WAGTAILIMAGES_MAX_IMAGE_PIXELS``);
    and Pillow's ``verify()``. Pillow's decompression-bomb guard counts as too many pixels.
    """
    max_size = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None)
    max_size = DEFAULT_IMAGE_MAX_UPLOAD_SIZE if max_size is None else max_size
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    max_pixels = DEFAULT_IMAGE_MAX_PIXELS if max_pixels is None else max_pixels

    try:
        _check_size(
            uploaded_file, max_size, gettext("This image is too large: the limit is %(limit)s.")
        )
        uploaded_file.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns about a likely decompression bomb; here it must stop the upload.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(uploaded_file, formats=IMAGE_FORMATS) as image:
                    if image.format not in IMAGE_FORMATS:
                        raise _not_an_image()
                    width, height = image.size
                    pixels = width * height * max(getattr(image, "n_frames", 1), 1)
                    if pixels > max_pixels:
                        raise _too_many_pixels(pixels, max_pixels)
                    image.verify()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise _too_many_pixels(_bomb_pixels(error), max_pixels) from error
            except _PILLOW_ERRORS as error:
                # UnidentifiedImageError is an OSError: not one of the allowed formats.
                raise _not_an_image() from error
    finally:
        _rewind(uploaded_file)


def _bomb_pixels(error: Exception) -> int:
    """The pixel count Pillow complained about, for the message; 0 if it cannot be read."""
    # Pillow's message reads "Image size (N pixels) exceeds limit of ...".
    words = str(error).replace("(", " ").split()
    for index, word in enumerate(words[:-1]):
        if words[index + 1].startswith("pixels") and word.isdigit():
            return int(word)
    return 0


# --- documents ------------------------------------------------------------------------------


def allowed_document_extensions() -> list[str]:
    """The extensions members may upload: ``WAGTAILDOCS_EXTENSIONS``, limited to the formats
    this module can check."""
    configured = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or DEFAULT_DOCUMENT_EXTENSIONS
    allowed = []
    for extension in configured:
        extension = extension.lower().lstrip(".")
        if extension in DOCUMENT_KINDS and extension not in allowed:
            allowed.append(extension)
    return allowed


def _extension_of(uploaded_file) -> str:
    return PurePath(getattr(uploaded_file, "name", "") or "").suffix.lower().lstrip(".")


def _mismatch(extension: str) -> ValidationError:
    kind = DOCUMENT_KINDS[extension]
    if extension in TEXT_EXTENSIONS:
        message = gettext(
            "This file says it is %(kind)s but its content is not UTF-8 text: save it again "
            "as %(kind)s with UTF-8 encoding and upload that."
        )
    else:
        message = gettext(
            "This file says it is %(kind)s but its content is not: save it again as %(kind)s "
            "and upload that."
        )
    return ValidationError(message % {"kind": kind}, code="content_mismatch")


def _zip_matches(uploaded_file, extension: str) -> bool:
    """Whether a ZIP holds the part its Office format always has. Nothing is extracted."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if extension in OOXML_EXTENSIONS:
                return "[Content_Types].xml" in names
            if "mimetype" not in names:
                return False
            expected = ODF_MIMETYPES[extension].encode("ascii")
            # Read only a few bytes more than the answer, however large the member claims to be.
            with archive.open("mimetype") as member:
                mimetype = member.read(len(expected) + 16)
            return mimetype.strip() == expected
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return False
    except (NotImplementedError, RuntimeError):
        # An unsupported compression method or an encrypted member.
        return False


def _is_utf8_text(uploaded_file) -> bool:
    """Whether the whole file decodes as UTF-8 (a BOM is fine) and has no NUL bytes.

    Read in chunks so a large CSV never sits in memory whole.
    """
    uploaded_file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        while chunk := uploaded_file.read(_TEXT_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(uploaded_file, extension: str) -> bool:
    uploaded_file.seek(0)
    head = uploaded_file.read(len(OLE2_MAGIC))
    if extension == "pdf":
        return head.startswith(PDF_MAGIC)
    if extension == "rtf":
        return head.startswith(RTF_MAGIC)
    if extension in OLE2_EXTENSIONS:
        return head == OLE2_MAGIC
    if extension in OOXML_EXTENSIONS or extension in ODF_MIMETYPES:
        return head.startswith(ZIP_MAGIC) and _zip_matches(uploaded_file, extension)
    if extension in TEXT_EXTENSIONS:
        return _is_utf8_text(uploaded_file)
    return False


def validate_document_upload(uploaded_file) -> None:
    """Refuse an upload unless it is an allowed document whose content matches its extension.

    Checks, in order: the file size (``WAGTAILDOCS_MAX_UPLOAD_SIZE``); that the file is not
    empty; that the extension is allowed (``WAGTAILDOCS_EXTENSIONS``); and that the first bytes
    are those of that format. For Office formats the ZIP must contain the part the format
    always has; CSV and text files must be UTF-8 without NUL bytes.
    """
    max_size = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    max_size = DEFAULT_DOCUMENT_MAX_UPLOAD_SIZE if max_size is None else max_size
    try:
        _check_size(
            uploaded_file, max_size, gettext("This file is too large: the limit is %(limit)s.")
        )
        if _file_size(uploaded_file) == 0:
            raise ValidationError(
                gettext("This file is empty: check that it was saved, and upload it again."),
                code="empty_file",
            )

        extension = _extension_of(uploaded_file)
        allowed = allowed_document_extensions()
        if extension not in allowed:
            listed = ", ".join(f".{name}" for name in allowed)
            if extension:
                message = gettext(
                    "Files of type .%(extension)s cannot be uploaded here. Upload one of "
                    "these types: %(allowed)s."
                ) % {"extension": extension, "allowed": listed}
            else:
                message = gettext(
                    "This file name has no extension, so we cannot tell what it is. Upload "
                    "one of these types: %(allowed)s."
                ) % {"allowed": listed}
            raise ValidationError(message, code="extension_not_allowed")

        if not _content_matches(uploaded_file, extension):
            raise _mismatch(extension)
    finally:
        _rewind(uploaded_file)
