"""Checks on the images and documents that people upload, and how their files are stored.

A file is judged by what is inside it, never by the content type the browser sends. Images go
through Wagtail's own image field (format by content and matching extension, file size, pixels);
this module adds only what Wagtail does not do: it counts the frames of an animation (Willow's
Pillow backend reports one frame, whatever the file holds), decodes every frame so that damaged
data is refused at upload instead of failing later when a rendition is made, and turns the
errors Pillow raises on damaged data into a message. Documents must be what their extension
says, and office files must carry no macros and must not unpack into far more than they weigh.

Stored files get names the site chooses (`stored_name`): random, so that nobody can guess the
address of a draft's file, and with the extension of the checked format, so that a file is never
served as something it is not. Members' files go to their own collection (`member_uploads`),
which only the staff groups that moderate or edit see in the admin, and are stored in the same
transaction as the draft they belong to (`files_stored_atomically`).

Each check raises a ``ValidationError`` whose message is shown next to the form field, so it
says what is wrong and what the person can do about it. Limits come from the settings Wagtail
uses for its own uploads, read when the check runs.
"""

import codecs
import contextlib
import secrets
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageSequence
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, GroupCollectionPermission

from . import roles

__all__ = [
    "DEFAULT_DOCUMENT_EXTENSIONS",
    "MAX_IMAGE_FRAMES",
    "MEMBER_UPLOADS",
    "CheckedImageField",
    "ImageForm",
    "MemberImageField",
    "allowed_document_extensions",
    "files_stored_atomically",
    "image_extension",
    "is_member_upload",
    "member_uploads",
    "stored_name",
    "validate_document_upload",
]

MB = 1024 * 1024
DEFAULT_DOCUMENT_MAX_UPLOAD_SIZE = 20 * MB

# A practice's photo is one frame; a short animated diagram fits in a hundred. Every frame is
# decoded at upload and again for each rendition, so a 3,000-frame GIF costs the server far
# more than it shows anyone.
MAX_IMAGE_FRAMES = 100

# Willow's format names, as Pillow calls them: each is decoded only by its own Pillow plugin.
PILLOW_FORMATS = {
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "avif": "AVIF",
    "heic": "HEIF",
}
# The extension a stored image gets, from the format its content has.
IMAGE_EXTENSIONS = {"jpeg": "jpg"}

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

# Office files are ZIP archives. Their central directory says how large each part unpacks,
# so an archive can be judged without unpacking anything. Real documents stay far below these
# (a 20 MB presentation of photos unpacks to about 20 MB; XML packs about ten to one); a "zip
# bomb" of a few kilobytes that unpacks to gigabytes does not.
MAX_ARCHIVE_PARTS = 5_000
MAX_ARCHIVE_UNPACKED_SIZE = 200 * MB
MAX_ARCHIVE_RATIO = 100
# Below this, whatever the ratio, an archive unpacks to too little to hurt anyone.
ARCHIVE_RATIO_APPLIES_FROM = 10 * MB
# [Content_Types].xml lists a few dozen part types; more than this is not a real document.
_CONTENT_TYPES_READ_LIMIT = 1 * MB
# How macros show in an office file: Office's VBA project part and the content types that
# declare it (in whatever part it hides), and OpenDocument's Basic and script folders.
OOXML_MACRO_PARTS = frozenset({"vbaproject.bin", "vbadata.xml"})
OOXML_MACRO_MARKERS = (b"vbaproject", b"macroenabled")
ODF_MACRO_FOLDERS = ("basic/", "scripts/")

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

# The collection that holds members' files. A record's name, not a label: it is looked up by it.
MEMBER_UPLOADS = "Member uploads"
# What the staff groups may do with members' files: see and choose them in the admin, correct
# their titles and remove them. Nobody adds files there but the members' own forms.
MEMBER_UPLOADS_PERMISSIONS = {
    roles.MODERATORS: ("change", "delete", "choose"),
    roles.EDITORS: ("change", "delete", "choose"),
}

# Pillow raises a mix of exception types on broken or hostile files; all mean "not usable".
_PILLOW_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)
_TEXT_CHUNK = 64 * 1024


# --- shared helpers -------------------------------------------------------------------------


def _format_size(num_bytes: int) -> str:
    """Whole megabytes as "10 MB"; anything else as Django's file size filter writes it."""
    if num_bytes >= MB and num_bytes % MB == 0:
        return f"{num_bytes // MB} MB"
    return filesizeformat(num_bytes)


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


def _damaged_image() -> ValidationError:
    return ValidationError(
        gettext(
            "This image is damaged or incomplete, so it cannot be shown. Open it in an image "
            "editor, save it again and upload the new file."
        ),
        code="damaged_image",
    )


def _unusable_image() -> ValidationError:
    return ValidationError(
        gettext("This file is not an image we can use: upload a JPEG, PNG, WebP or GIF file."),
        code="invalid_image",
    )


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, made safe against damaged data and long animations.

    Wagtail checks the format (by content, and that the extension matches it), the file size
    and the pixels. Its pixel check decodes the first frame, and a damaged PNG or a truncated
    JPEG then raises Pillow's OSError out of the form (a server error); here that becomes a
    message. Afterwards every frame is counted and decoded with Pillow: frames times pixels
    must stay within ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (Willow's Pillow backend counts one
    frame), and `max_frames` (None: no limit) caps animations.
    """

    def __init__(self, *args, max_frames: int | None = None, **kwargs):
        help_text = kwargs.get("help_text")
        super().__init__(*args, **kwargs)
        self.max_frames = max_frames
        # Wagtail writes its own help text over the one it was given.
        if help_text:
            self.help_text = help_text

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except _PILLOW_ERRORS as error:
            raise _damaged_image() from error

    def to_python(self, data):
        # Wagtail reads the upload from wherever it stands; a check before may have moved it.
        _rewind(data)
        f = super().to_python(data)
        if f is not None:
            try:
                self.check_frames_and_decode(f)
            finally:
                _rewind(f)
        return f

    def check_frames_and_decode(self, f) -> None:
        """Count the frames and decode each one, as a rendition would, before anything is kept."""
        pillow_format = PILLOW_FORMATS.get(f.image.format_name)
        if pillow_format is None:
            # Only a format Pillow decodes can be checked; SVG, for one, can carry scripts.
            raise _unusable_image()
        max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
        f.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns about a likely decompression bomb; here it must stop the upload.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(f, formats=[pillow_format]) as image:
                    frames = getattr(image, "n_frames", 1)
                    self.check_frames(frames, image.size, max_pixels)
                    for frame in ImageSequence.Iterator(image):
                        frame.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise ValidationError(
                    self.error_messages["file_too_many_pixels"]
                    % {"num_pixels": _("unknown number"), "max_pixels_count": max_pixels},
                    code="file_too_many_pixels",
                ) from None
            except _PILLOW_ERRORS as error:
                raise _damaged_image() from error

    def check_frames(self, frames: int, size: tuple[int, int], max_pixels: int | None) -> None:
        if self.max_frames is not None and frames > self.max_frames:
            raise ValidationError(
                gettext(
                    "This animation has %(frames)s frames; the limit is %(limit)s. Upload a "
                    "photo or a shorter animation."
                )
                % {"frames": frames, "limit": self.max_frames},
                code="too_many_frames",
            )
        width, height = size
        if max_pixels is not None and frames > 1 and width * height * frames > max_pixels:
            raise ValidationError(
                gettext(
                    "This animation has too many pixels: %(frames)s frames of %(width)s × "
                    "%(height)s pixels, %(pixels)s in all, and the limit is %(limit)s. Make it "
                    "smaller or shorter and upload it again."
                )
                % {
                    "frames": frames,
                    "width": width,
                    "height": height,
                    "pixels": width * height * frames,
                    "limit": max_pixels,
                },
                code="file_too_many_pixels",
            )


class MemberImageField(CheckedImageField):
    """The image field of members' forms: a practice's photos, at most `MAX_IMAGE_FRAMES`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_frames", MAX_IMAGE_FRAMES)
        super().__init__(*args, **kwargs)


class ImageForm(BaseImageForm):
    """The admin's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``) with the checked field, so
    that an editor's damaged upload gets a message too, not a server error."""

    file = CheckedImageField(
        label=capfirst(AbstractImage._meta.get_field("file").verbose_name),
        widget=BaseImageForm.Meta.widgets["file"],
    )


def image_extension(checked_image) -> str:
    """The extension for a file that `CheckedImageField` accepted, from its content's format."""
    format_name = checked_image.image.format_name
    return IMAGE_EXTENSIONS.get(format_name, format_name)


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


def extension_of(uploaded_file) -> str:
    """The extension of the file's name as uploaded, lower case, without the dot."""
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


def _archive_too_large() -> ValidationError:
    return ValidationError(
        gettext(
            "This file unpacks to far more data than a document of its size holds, so we "
            "cannot accept it. Save it again from your office program and upload the new file."
        ),
        code="archive_too_large",
    )


def _has_macros(extension: str) -> ValidationError:
    return ValidationError(
        gettext(
            "This document contains macros, which could run programs on the computers of the "
            "people who open it. Save it again without macros, as %(kind)s, and upload that."
        )
        % {"kind": DOCUMENT_KINDS[extension]},
        code="macros",
    )


def _check_unpacked_size(parts: list[zipfile.ZipInfo], packed_size: int) -> None:
    """Refuse a zip bomb from the sizes its central directory declares; nothing is unpacked.

    The ratio is taken against the upload's own size, not the parts' packed sizes, so that
    parts pointing at the same packed data (an "overlapping" bomb) count every time.
    """
    unpacked = sum(part.file_size for part in parts)
    if (
        len(parts) > MAX_ARCHIVE_PARTS
        or unpacked > MAX_ARCHIVE_UNPACKED_SIZE
        or (
            unpacked > ARCHIVE_RATIO_APPLIES_FROM
            and unpacked > MAX_ARCHIVE_RATIO * max(packed_size, 1)
        )
    ):
        raise _archive_too_large()


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    # Read at most `limit` bytes, however large the part claims to be.
    with archive.open(name) as part:
        return part.read(limit)


def _format_part_present(archive: zipfile.ZipFile, names: set[str], extension: str) -> bool:
    """Whether the archive holds the part its office format always has."""
    if extension in OOXML_EXTENSIONS:
        return "[Content_Types].xml" in names
    if "mimetype" not in names:
        return False
    expected = ODF_MIMETYPES[extension].encode("ascii")
    return _read_part(archive, "mimetype", len(expected) + 16).strip() == expected


def _carries_macros(archive: zipfile.ZipFile, names: set[str], extension: str) -> bool:
    lowered = [name.lower() for name in names]
    if extension in ODF_MIMETYPES:
        return any(name.startswith(ODF_MACRO_FOLDERS) for name in lowered)
    if any(PurePath(name).name in OOXML_MACRO_PARTS for name in lowered):
        return True
    # Office runs a VBA project from whatever part [Content_Types].xml declares it in.
    content_types = _read_part(archive, "[Content_Types].xml", _CONTENT_TYPES_READ_LIMIT)
    return any(marker in content_types.lower() for marker in OOXML_MACRO_MARKERS)


def _check_office_archive(uploaded_file, extension: str) -> None:
    """An OOXML or OpenDocument file: a ZIP of sane size, with its format's part, no macros."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            _check_unpacked_size(archive.infolist(), _file_size(uploaded_file))
            names = set(archive.namelist())
            if not _format_part_present(archive, names, extension):
                raise _mismatch(extension)
            if _carries_macros(archive, names, extension):
                raise _has_macros(extension)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError):
        raise _mismatch(extension) from None
    except (NotImplementedError, RuntimeError):
        # An unsupported compression method or an encrypted part.
        raise _mismatch(extension) from None


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
        return head.startswith(ZIP_MAGIC)
    if extension in TEXT_EXTENSIONS:
        return _is_utf8_text(uploaded_file)
    return False


def validate_document_upload(uploaded_file) -> None:
    """Refuse an upload unless it is an allowed document whose content matches its extension.

    Checks, in order: the file size (``WAGTAILDOCS_MAX_UPLOAD_SIZE``); that the file is not
    empty; that the extension is allowed (``WAGTAILDOCS_EXTENSIONS``); and that the first bytes
    are those of that format. For office formats the ZIP must not unpack to much more than it
    weighs, must contain the part the format always has, and must carry no macros; CSV and text
    files must be UTF-8 without NUL bytes.
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

        extension = extension_of(uploaded_file)
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
        if extension in OOXML_EXTENSIONS or extension in ODF_MIMETYPES:
            _check_office_archive(uploaded_file, extension)
    finally:
        _rewind(uploaded_file)


# --- stored names, the members' collection, storage and the transaction ---------------------


def stored_name(extension: str) -> str:
    """A file name the site chooses: 128 random bits and the extension of the checked format.

    Nothing of the uploader's own name survives: it could say `.html`, and a guessable name
    would let anyone fetch a draft's file. People see the title, which is kept separately.
    """
    return f"{secrets.token_hex(16)}.{extension.lower()}"


def member_uploads() -> Collection:
    """The collection for members' files, created below the root the first time it is needed.

    Wagtail lets a group see the files of the collections it has permissions on, and of their
    descendants; the staff groups that moderate and edit get them here, so that a group an admin
    gives permissions on other collections does not see members' drafts.
    """
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=MEMBER_UPLOADS).first()
    if collection is not None:
        return collection
    with transaction.atomic():
        # Lock the root so that two first uploads at once do not make two collections.
        Collection.objects.select_for_update().filter(pk=root.pk).first()
        collection = root.get_children().filter(name=MEMBER_UPLOADS).first()
        if collection is None:
            collection = root.add_child(name=MEMBER_UPLOADS)
            _grant_member_uploads(collection)
    return collection


def is_member_upload(item: models.Model) -> bool:
    """Whether a Wagtail image or document is in the members' collection."""
    collection = item.collection
    return collection.name == MEMBER_UPLOADS and collection.depth == 2


def _grant_member_uploads(collection: Collection) -> None:
    for group_name, actions in MEMBER_UPLOADS_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for permission in Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )


@contextlib.contextmanager
def files_stored_atomically() -> Iterator[Callable[[models.Model], None]]:
    """A transaction in which new Wagtail images and documents are saved with their files.

    The database forgets the rows of a transaction that fails, but storage keeps the files
    written meanwhile. Inside the block, `store(item)` writes the item's file under the name it
    was given and saves its row; if anything in the block raises, the transaction rolls back and
    the files written are deleted, so a refused save leaves neither rows nor files behind.
    Use it as the outermost transaction: an enclosing one that rolls back later is not seen.
    """
    written: list[tuple[object, str]] = []

    def store(item: models.Model) -> None:
        field_file = item.file
        field_file.save(field_file.name, field_file.file, save=False)
        written.append((field_file.storage, field_file.name))
        item.save()

    try:
        with transaction.atomic():
            yield store
    except BaseException:
        for storage, name in written:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
