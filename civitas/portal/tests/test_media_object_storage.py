"""Uploads on S3-compatible object storage keep every check of the media view.

An S3-compatible server (moto's, in this process) stands in for the bucket; the files are stored
through the services, as on a site, and read back through ``/media/``.
"""

import io
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civitas.core.models import Role
from civitas.forum import services as forum
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory
from civitas.testing.signin import sign_in

moto_server = pytest.importorskip("moto.server")

pytestmark = pytest.mark.django_db
BUCKET = "civitas-uploads"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, s3_endpoint):
    """Uploads go to a fresh private bucket on the S3-compatible server."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-central-1",
        aws_access_key_id="civitas",
        aws_secret_access_key="civitas-secret",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "civitas.core.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-central-1",
                "access_key": "civitas",
                "secret_key": "civitas-secret",
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    settings.CIVITAS_S3_PRESIGNED_SECONDS = 0
    yield client
    for stored in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=stored["Key"])
    client.delete_bucket(Bucket=BUCKET)


def photo_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("pothole.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def reported_photo(bucket):
    """A photo attached to an issue report through the forum's services: stored in the bucket."""
    town = MunicipalityFactory(slug="sopot")
    topic = forum.topic_create(
        actor=UserFactory(username="author"), municipality=town, title="Дупка", body="Има дупка"
    )
    post = forum.post_create(
        actor=UserFactory(username="neighbour"), topic=topic, body="Ето снимка", photo=photo_upload()
    )
    stored = bucket.get_object(Bucket=BUCKET, Key=post.photo.name)["Body"].read()
    return town, post, stored


def test_an_uploaded_photo_is_stored_in_the_bucket_and_served_through_civitas(client, reported_photo):
    _town, post, stored = reported_photo
    assert stored.startswith(b"\xff\xd8\xff")  # re-encoded JPEG, in the bucket
    assert post.photo.url == f"/media/{post.photo.name}"  # the address is Civitas's, never the bucket's
    response = client.get(f"/media/{post.photo.name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Length"] == str(len(stored))
    assert response["Cache-Control"].startswith("public")
    again = client.get(f"/media/{post.photo.name}", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_a_hidden_posts_photo_stays_hidden_on_object_storage(client, reported_photo, settings):
    town, post, _stored = reported_photo
    moderator = MembershipFactory(municipality=town, role=Role.MODERATOR).user
    forum.post_hide(actor=moderator, post=post, reason="Лични данни")
    settings.CIVITAS_S3_PRESIGNED_SECONDS = 0
    assert client.get(f"/media/{post.photo.name}").status_code == 404
    settings.CIVITAS_S3_PRESIGNED_SECONDS = 60  # no signed link is handed out either
    response = client.get(f"/media/{post.photo.name}")
    assert response.status_code == 404 and "Location" not in response
    sign_in(client, moderator)
    response = client.get(f"/media/{post.photo.name}")
    assert response.status_code == 302  # the moderator may see it: a link signed for a minute
    assert response["Cache-Control"] == "private, no-store"


def test_a_signed_link_serves_the_file_with_civitass_headers(client, reported_photo, settings):
    _town, post, stored = reported_photo
    settings.CIVITAS_S3_PRESIGNED_SECONDS = 60
    response = client.get(f"/media/{post.photo.name}")
    assert response.status_code == 302
    link = response["Location"]
    assert "X-Amz-Expires=60" in link and "X-Amz-Signature=" in link
    with urllib.request.urlopen(link, timeout=10) as answer:  # the browser follows the link
        assert answer.read() == stored
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert answer.headers["Content-Disposition"].startswith("inline")
    unsigned = link.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:  # the bucket itself is private
        urllib.request.urlopen(unsigned, timeout=10)
    assert refused.value.code == 403


def test_a_file_the_bucket_no_longer_holds_answers_404(client, reported_photo, bucket, settings):
    _town, post, _stored = reported_photo
    bucket.delete_object(Bucket=BUCKET, Key=post.photo.name)  # its record is still there
    settings.CIVITAS_S3_PRESIGNED_SECONDS = 0
    assert client.get(f"/media/{post.photo.name}").status_code == 404
    settings.CIVITAS_S3_PRESIGNED_SECONDS = 60
    assert client.get(f"/media/{post.photo.name}").status_code == 404
