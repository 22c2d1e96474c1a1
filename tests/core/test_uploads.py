"""Member uploads: judged by their content, and refused with a message the member can act on."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.permissions import policy_registry

from core import roles
from core import uploads as core_uploads
from core.uploads import (
    MAX_IMAGE_FRAMES,
    CheckedImageField,
    MemberImageField,
    files_stored_atomically,
    image_extension,
    is_member_upload,
    member_uploads,
    stored_name,
    validate_document_upload,
)
from tests.factories import make_member
from tests.upload_files import (
    MINIMAL_PDF,
    ODF_MIMETYPES_TEXT,
    OLE2_HEADER,
    animated_gif_bytes,
    broken_zlib_png,
    docx_bytes,
    image_bytes,
    odf_bytes,
    png_with_script,
    truncated_jpeg,
    upload,
    zip_bytes,
)


def refusal(validator, uploaded_file) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(uploaded_file)
    return caught.value


# --- images ---------------------------------------------------------------------------------


def clean_image(uploaded_file, field_class=MemberImageField):
    return field_class(required=False).clean(uploaded_file)


def image_refusal(uploaded_file, field_class=MemberImageField) -> ValidationError:
    return refusal(lambda f: clean_image(f, field_class), uploaded_file)


@pytest.mark.parametrize(
    ("format_", "name"),
    [("PNG", "photo.png"), ("JPEG", "photo.jpg"), ("WEBP", "photo.webp"), ("GIF", "photo.gif")],
)
def test_a_good_image_passes_and_is_rewound(format_, name):
    uploaded = upload(name, image_bytes(format_))
    uploaded.read(5)
    assert clean_image(uploaded) is uploaded
    assert uploaded.tell() == 0


def test_the_stored_extension_comes_from_the_content():
    assert image_extension(clean_image(upload("Photo.JPEG", image_bytes("JPEG")))) == "jpg"
    assert image_extension(clean_image(upload("photo.png", image_bytes("PNG")))) == "png"


def test_wagtail_refuses_an_image_whose_name_says_another_format():
    # Wagtail's own check: the extension must match the format of the content.
    error = image_refusal(upload("photo.jpg", image_bytes("PNG"), "image/jpeg"))
    assert error.code == "invalid_image_known_format"


def test_a_real_png_named_html_is_refused():
    # The stored XSS: a valid PNG (with a script in a text chunk) whose name ends in .html.
    error = image_refusal(upload("x.html", png_with_script(), "image/png"))
    assert error.code == "invalid_image_extension"
    assert error.messages[0].startswith("Not a supported image format.")


def test_a_text_file_named_like_a_photo_is_refused():
    error = image_refusal(upload("photo.jpg", b"Hello, I am not a photo.\n"))
    assert error.code == "invalid_image"


@pytest.mark.parametrize("format_", ["BMP", "TIFF", "ICO"])
def test_images_in_other_formats_are_refused(format_):
    error = image_refusal(upload("photo.png", image_bytes(format_, (16, 16))))
    assert error.code in {"invalid_image", "invalid_image_known_format"}


def test_an_svg_is_refused_even_where_the_settings_allow_svg(settings):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    assert image_refusal(upload("logo.svg", svg, "image/svg+xml")).code == (
        "invalid_image_extension"
    )
    settings.WAGTAILIMAGES_EXTENSIONS = ["png", "svg"]
    error = image_refusal(upload("logo.svg", svg, "image/svg+xml"))
    assert error.code == "invalid_image"
    assert error.messages == [
        "This file is not an image we can use: upload a JPEG, PNG, WebP or GIF file."
    ]


def test_a_refused_image_is_rewound_too():
    uploaded = upload("photo.png", broken_zlib_png())
    image_refusal(uploaded)
    assert uploaded.tell() == 0


# Damaged data: Wagtail's own field lets Pillow's OSError out (a server error).


def test_a_png_whose_compressed_pixels_are_broken_is_refused_with_a_message():
    data = broken_zlib_png()
    Image.open(io.BytesIO(data)).verify()  # every chunk's checksum is right: only decoding fails
    with pytest.raises(OSError, match="broken data stream"):
        WagtailImageField().clean(upload("photo.png", data))
    error = image_refusal(upload("photo.png", data))
    assert error.code == "damaged_image"
    assert error.messages == [
        "This image is damaged or incomplete, so it cannot be shown. Open it in an image "
        "editor, save it again and upload the new file."
    ]


def test_a_truncated_jpeg_is_refused_with_a_message():
    data = truncated_jpeg()
    with pytest.raises(OSError, match="truncated"):
        WagtailImageField().clean(upload("photo.jpg", data))
    assert image_refusal(upload("photo.jpg", data)).code == "damaged_image"


def test_a_truncated_png_is_refused():
    data = image_bytes("PNG", (64, 64))
    assert image_refusal(upload("photo.png", data[: len(data) // 2])).code in {
        "damaged_image",
        "invalid_image",
    }


def test_a_png_with_a_corrupt_chunk_is_refused():
    data = bytearray(image_bytes("PNG", (64, 64)))
    idat = data.index(b"IDAT")
    data[idat + 8] ^= 0xFF  # flip a byte of the compressed pixels: the chunk's CRC no longer fits
    assert image_refusal(upload("photo.png", bytes(data))).code == "damaged_image"


def test_a_damaged_later_frame_of_an_animation_is_refused():
    # The first frame decodes (Wagtail's check); a frame further on does not.
    data = bytearray(animated_gif_bytes(4, (64, 64)))
    data[-40:-2] = bytes(38)
    assert image_refusal(upload("anim.gif", bytes(data))).code == "damaged_image"


# Limits a practice's photos need.


def test_the_site_refuses_a_40_megapixel_photo_and_takes_a_24_megapixel_one():
    # One bit a pixel keeps the test light; the pixels count the same.
    error = image_refusal(upload("photo.png", image_bytes("PNG", (7_746, 5_164), mode="1")))
    assert error.code == "file_too_many_pixels"
    assert error.messages == ["This file has too many pixels (40000344). Maximum pixels 25000000."]
    clean_image(upload("photo.png", image_bytes("PNG", (6_000, 4_000), mode="1")))


def test_a_3000_frame_gif_is_refused_before_its_frames_are_decoded(monkeypatch):
    animation = animated_gif_bytes(3_000, (2, 2))
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self))
    error = image_refusal(upload("anim.gif", animation))
    assert error.code == "too_many_frames"
    # Wagtail's (and Willow's) few looks at the first frame, not one decode a frame.
    assert len(decoded) < 10
    assert error.messages == [
        "This animation has 3000 frames; the limit is 100. Upload a photo or a shorter animation."
    ]


def test_a_short_animation_is_accepted():
    clean_image(upload("anim.gif", animated_gif_bytes(MAX_IMAGE_FRAMES, (8, 8))))


def test_the_admin_field_has_no_frame_limit():
    clean_image(upload("anim.gif", animated_gif_bytes(150, (4, 4))), CheckedImageField)


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=500)
def test_every_frame_of_an_animation_counts_towards_the_pixel_limit():
    # 10 x 10 pixels a frame is far below the limit, and Willow's Pillow backend counts one
    # frame; eight frames are above it.
    animation = animated_gif_bytes(8)
    assert Image.open(io.BytesIO(animation)).n_frames == 8
    WagtailImageField().clean(upload("anim.gif", animation))
    error = image_refusal(upload("anim.gif", animation))
    assert error.code == "file_too_many_pixels"
    assert "8 frames of 10 × 10 pixels, 800 in all, and the limit is 500" in error.messages[0]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pillows_decompression_bomb_guard_becomes_a_validation_error(monkeypatch):
    # Pillow only warns above MAX_IMAGE_PIXELS; the warning must stop the upload.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300)
    error = image_refusal(upload("photo.png", image_bytes("PNG", (20, 20))))
    assert error.code == "file_too_many_pixels"


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    data = image_bytes("PNG", (64, 64))
    assert len(data) > 100
    assert image_refusal(upload("photo.png", data)).code == "file_too_large"


def test_an_empty_image_is_refused():
    assert image_refusal(upload("photo.png", b"")).code == "empty"


def test_the_members_field_keeps_the_help_text_it_was_given():
    field = MemberImageField(help_text="A photo of the practice.")
    assert field.help_text == "A photo of the practice."


# The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE).


def test_the_admin_refuses_a_damaged_image_with_a_message(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.test", "pw")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Broken", "file": upload("photo.png", broken_zlib_png()), "collection": 1},
    )
    assert response.status_code == 200
    assert "This image is damaged or incomplete" in response.content.decode()
    assert not get_image_model().objects.filter(title="Broken").exists()


def test_the_admin_still_stores_a_good_image(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.test", "pw")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Kitchen", "file": upload("kitchen.png", image_bytes()), "collection": 1},
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Kitchen")
    assert (image.width, image.height) == (20, 20)


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


def test_a_document_with_a_large_harmless_part_is_read_only_as_far_as_needed():
    # The mimetype part claims to be huge, but within the limits; it is not inflated whole.
    content = zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 10**6,
            "Pictures/photo.jpg": truncated_jpeg() * 4,
        }
    )
    validate_document_upload(upload("report.odt", content))


# Macros: an office file that runs code on the computers of the people who open it.

MACRO_MESSAGE = (
    "This document contains macros, which could run programs on the computers of the people "
    "who open it. Save it again without macros, as {kind}, and upload that."
)


@pytest.mark.parametrize(
    ("name", "part", "kind"),
    [
        ("report.docx", "word/vbaProject.bin", "a Word document"),
        ("budget.xlsx", "xl/vbaProject.bin", "an Excel spreadsheet"),
        ("slides.pptx", "ppt/vbaProject.bin", "a PowerPoint presentation"),
        ("report.docx", "word/vbaData.xml", "a Word document"),
    ],
)
def test_an_office_file_with_a_vba_project_is_refused(name, part, kind):
    content = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            part: b"\xd0\xcf\x11\xe0 macro code",
        }
    )
    error = refusal(validate_document_upload, upload(name, content))
    assert error.code == "macros"
    assert error.messages == [MACRO_MESSAGE.format(kind=kind)]


def test_a_macro_project_under_another_name_is_found_in_the_content_types():
    # Office loads the VBA project from whatever part [Content_Types].xml declares it in.
    content = zip_bytes(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/word/notes.bin" '
            b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            "word/document.xml": b"<w:document/>",
            "word/notes.bin": b"macro code",
        }
    )
    assert refusal(validate_document_upload, upload("report.docx", content)).code == "macros"


def test_a_macro_enabled_document_renamed_to_docx_is_refused():
    content = zip_bytes(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType='
            b'"application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            "word/document.xml": b"<w:document/>",
        }
    )
    assert refusal(validate_document_upload, upload("report.docx", content)).code == "macros"


def test_an_opendocument_with_basic_macros_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODF_MIMETYPES_TEXT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    error = refusal(validate_document_upload, upload("report.odt", buffer.getvalue()))
    assert error.code == "macros"
    assert "as an OpenDocument text" in error.messages[0]


# Zip bombs, judged from the central directory without unpacking anything.

BOMB_MESSAGE = (
    "This file unpacks to far more data than a document of its size holds, so we cannot accept "
    "it. Save it again from your office program and upload the new file."
)


def test_a_zip_bomb_docx_is_refused_without_being_unpacked(monkeypatch):
    content = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document>" + b"\x00" * (300 * 1024 * 1024),
        }
    )
    assert len(content) < 1024 * 1024
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: opened.append(name) or real_open(self, name, *a, **k),
    )
    error = refusal(validate_document_upload, upload("report.docx", content))
    assert error.code == "archive_too_large"
    assert error.messages == [BOMB_MESSAGE]
    assert opened == []


def test_a_document_that_unpacks_to_a_hundred_times_its_size_is_refused():
    # 30 MB of one repeated line is under the total limit, but no real document packs that well.
    content = zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:p/>" * 5_000_000}
    )
    assert refusal(validate_document_upload, upload("report.docx", content)).code == (
        "archive_too_large"
    )


def test_parts_that_share_their_packed_data_count_every_time(monkeypatch):
    # An "overlapping" bomb: many entries of the central directory point at the same data.
    monkeypatch.setattr(core_uploads, "MAX_ARCHIVE_UNPACKED_SIZE", 10_000)
    content = zip_bytes(
        {"[Content_Types].xml": b"<Types/>", **{f"word/part{n}.xml": bytes(4_000) for n in "abc"}}
    )
    assert refusal(validate_document_upload, upload("report.docx", content)).code == (
        "archive_too_large"
    )


def test_an_archive_with_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(core_uploads, "MAX_ARCHIVE_PARTS", 3)
    content = zip_bytes({"[Content_Types].xml": b"<Types/>", **{f"p{n}": b"x" for n in range(3)}})
    assert refusal(validate_document_upload, upload("report.docx", content)).code == (
        "archive_too_large"
    )


def test_an_office_file_whose_packed_part_is_broken_is_refused():
    content = bytearray(docx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        part = archive.getinfo("[Content_Types].xml")
    start = part.header_offset + 30 + len(part.filename.encode())
    content[start : start + part.compress_size] = b"\xff" * part.compress_size
    error = refusal(validate_document_upload, upload("report.docx", bytes(content)))
    assert error.code == "content_mismatch"


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


# --- names, the members' collection, the transaction ----------------------------------------


def test_stored_names_are_random_and_keep_only_the_checked_extension():
    names = {stored_name("PNG") for _ in range(100)}
    assert len(names) == 100
    for name in names:
        stem, extension = name.split(".")
        assert extension == "png"
        assert len(stem) == 32
        int(stem, 16)  # 128 random bits, in hex


@pytest.mark.django_db
def test_the_members_collection_is_made_once_below_the_root_for_the_staff_groups():
    collection = member_uploads()
    assert collection.name == "Member uploads"
    assert collection.get_parent() == Collection.get_first_root_node()
    assert member_uploads() == collection
    granted = {
        (grant.group.name, grant.permission.codename)
        for grant in GroupCollectionPermission.objects.filter(collection=collection)
    }
    for group in (roles.MODERATORS, roles.EDITORS):
        for codename in ("change_image", "choose_image", "change_document", "choose_document"):
            assert (group, codename) in granted
    assert not {codename for name, codename in granted if name == roles.EXPERTS}
    assert is_member_upload(get_image_model()(collection=collection))
    assert not is_member_upload(get_image_model()(collection=Collection.get_first_root_node()))


@pytest.mark.django_db
def test_only_the_staff_groups_see_members_files_in_the_media_library():
    member_file = get_image_model().objects.create(
        title="A member's draft photo",
        file=SimpleUploadedFile(stored_name("png"), image_bytes()),
        collection=member_uploads(),
    )
    # A group an admin sets up for the site's own pictures, on a collection of their own.
    site_images = Collection.get_first_root_node().add_child(name="Site images")
    photographers = Group.objects.create(name="Photographers")
    photographers.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_image", "change_image", "choose_image"):
        GroupCollectionPermission.objects.create(
            group=photographers,
            collection=site_images,
            permission=Permission.objects.get(codename=codename),
        )
    policy = policy_registry.get_by_type(get_image_model())

    def visible_to(user):
        # The media library lists what a user may change or delete; choosers what they may choose.
        return any(
            member_file in policy.instances_user_has_any_permission_for(user, actions)
            for actions in (["change", "delete"], ["choose"])
        )

    assert visible_to(make_member("mod@example.test", groups=[roles.MODERATORS]))
    assert visible_to(make_member("ed@example.test", groups=[roles.EDITORS]))
    assert not visible_to(make_member("photo@example.test", groups=["Photographers"]))
    assert not visible_to(make_member("expert@example.test", groups=[roles.EXPERTS]))


@pytest.mark.django_db
def test_files_stored_in_a_transaction_that_fails_are_removed_with_their_rows():
    image = get_image_model()(
        title="Kitchen", file=SimpleUploadedFile(stored_name("png"), image_bytes())
    )
    with pytest.raises(RuntimeError), files_stored_atomically() as store:
        store(image)
        stored = image.file.name
        assert image.file.storage.exists(stored)
        raise RuntimeError("the revision could not be saved")
    assert not image.file.storage.exists(stored)
    assert not get_image_model().objects.filter(title="Kitchen").exists()


@pytest.mark.django_db
def test_files_stored_in_a_transaction_that_commits_are_kept():
    image = get_image_model()(
        title="Kitchen", file=SimpleUploadedFile(stored_name("png"), image_bytes())
    )
    with files_stored_atomically() as store:
        store(image)
    assert image.file.storage.exists(image.file.name)
    assert image.file.name.startswith("original_images/")
    assert get_image_model().objects.get(title="Kitchen").width == 20
