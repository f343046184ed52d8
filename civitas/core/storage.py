"""Uploaded files on S3-compatible object storage, for several app servers that share no disk.

With ``CIVITAS_S3_BUCKET`` set (settings.py), uploads are stored in that bucket, private: the bucket
is never read by browsers directly. Every file's address stays Civitas's own ``/media/<name>``
(``url``), where portal/media.py checks who may see it and then streams the bytes from the bucket,
or, with ``CIVITAS_S3_PRESIGNED_SECONDS``, redirects to a link signed for those few seconds.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateS3Storage(S3Storage):
    """A private bucket whose files are addressed through Civitas's checked ``/media/`` view."""

    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)


@dataclass(frozen=True)
class StoredObject:
    """A file in the bucket, opened for reading: its body streams on iteration."""

    body: Any
    size: int
    modified: datetime


def on_object_storage() -> bool:
    """Whether uploads live in a bucket rather than under MEDIA_ROOT."""
    return isinstance(storages["default"], S3Storage)


def _storage() -> S3Storage:
    storage = storages["default"]
    assert isinstance(storage, S3Storage)
    return storage


def _key(storage: S3Storage, name: str) -> str:
    return storage._normalize_name(clean_name(name))


def open_object(name: str) -> StoredObject | None:
    """The bucket's object ``name`` opened for streaming, or None if there is none."""
    storage = _storage()
    client = storage.connection.meta.client
    try:
        found = client.get_object(Bucket=storage.bucket_name, Key=_key(storage, name))
    except client.exceptions.NoSuchKey:
        return None
    return StoredObject(found["Body"], int(found["ContentLength"]), found["LastModified"])


def object_modified(name: str) -> datetime | None:
    """When the object ``name`` was last written, None if there is none (one HEAD request)."""
    storage = _storage()
    client = storage.connection.meta.client
    try:
        found = client.head_object(Bucket=storage.bucket_name, Key=_key(storage, name))
    except client.exceptions.ClientError:
        return None
    return found["LastModified"]


def presigned_url(name: str, *, seconds: int, content_type: str, disposition: str, cache_control: str) -> str:
    """A link to the object ``name`` valid ``seconds``, whose answer carries the headers Civitas
    would have sent itself (type, download or inline, caching)."""
    storage = _storage()
    return storage.connection.meta.client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": storage.bucket_name,
            "Key": _key(storage, name),
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": cache_control,
        },
        ExpiresIn=seconds,
    )
