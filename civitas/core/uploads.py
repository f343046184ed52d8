"""Checks on uploaded documents and photos: size, real type (by content, not by name), and
photos re-encoded without their metadata (EXIF, GPS)."""

import io
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_SIDE = 2400

# (content type, extension) by the file's first bytes.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]
ZIP_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}


def sniff(head: bytes, data_for_zip) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip()) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").strip()
                    if mimetype in ODF_TYPES:
                        return mimetype.decode(), ODF_TYPES[mimetype]
                for prefix, kind in ZIP_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
        except zipfile.BadZipFile:
            return None
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if b"\x00" in head:
        return None
    return "text/plain", "txt"


def check_upload(upload, *, photo: bool) -> tuple[ContentFile, str, int]:
    """Validate an uploaded file; return (file to store, content type, size) or raise ValidationError."""
    limit = settings.CIVITAS_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "upload": [
                    _("The file is larger than %(mb)s MB, the largest accepted.")
                    % {"mb": limit // (1024 * 1024)}
                ]
            }
        )
    data = upload.read()
    found = sniff(data[:4096], lambda: io.BytesIO(data))
    if found is None:
        raise ValidationError(
            {
                "upload": [
                    _(
                        "This kind of file is not accepted: upload a PDF, DOCX, XLSX, ODT, ODS, text, JPEG, PNG or WebP file."
                    )
                ]
            }
        )
    content_type, ext = found
    if photo and content_type not in IMAGE_TYPES:
        raise ValidationError({"upload": [_("A photo must be a JPEG, PNG or WebP image.")]})
    base = (upload.name or "file").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "file"
    if content_type in IMAGE_TYPES:
        data, content_type, ext = reencode_image(data)
    # A random part makes the file's address impossible to guess from its original name.
    return ContentFile(data, name=f"{secrets.token_hex(8)}-{base}.{ext}"), content_type, len(data)


# A small file can hold a huge picture (a "decompression bomb"): the pixels are counted from the
# header and refused above this, before anything is decoded. 40 megapixels covers any camera photo.
MAX_PHOTO_PIXELS = 40_000_000


def reencode_image(data: bytes) -> tuple[bytes, str, str]:
    """Decode and re-encode an image: drops EXIF (incl. GPS) and anything hidden in the file."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size  # read from the header, before decoding anything
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    {
                        "upload": [
                            _("The image is too large: at most %(mp)s megapixels.")
                            % {"mp": MAX_PHOTO_PIXELS // 10**6}
                        ]
                    }
                )
            if image.format == "JPEG":
                image.draft("RGB", (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))  # decode at a reduced size
            image.load()
            image = ImageOps.exif_transpose(image)  # type: ignore[assignment]  # an Image, used as one
            image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
            out = io.BytesIO()
            if has_alpha:
                image.convert("RGBA").save(out, format="PNG", optimize=True)
                return out.getvalue(), "image/png", "png"
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue(), "image/jpeg", "jpg"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError({"upload": [_("The image cannot be read.")]}) from None
