"""Photos, stored once by content hash and shared by every listing that uses them."""

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from PIL import Image, UnidentifiedImageError
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from marketplace.auth import SellerDep, StateDep
from marketplace.models import Photo, SellerPhoto
from marketplace.problems import ProblemError, not_found
from marketplace.representations import photo_url
from marketplace.schemas import PhotoList, PhotoStored, Sha256
from marketplace.state import ServerState

router = APIRouter(prefix="/v1/photos", tags=["photos"])

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
Sha256Path = Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")]
LOOKUP_LIMIT = 100  # hashes one lookup may ask about
_BINARY = {"schema": {"type": "string", "format": "binary"}}


# A photo larger than this is refused before any pixel is decoded: a small file can declare
# a huge canvas (a decompression bomb), and nothing a closet shows needs more than 50 MP.
MAX_MEGAPIXELS = 50
MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000


def _too_large(detail: str) -> ProblemError:
    return ProblemError(
        422,
        "image_too_large",
        f"{detail} Photos may have at most {MAX_MEGAPIXELS} megapixels; "
        "resize it and upload again.",
        max_megapixels=MAX_MEGAPIXELS,
    )


def _identify(data: bytes) -> tuple[str, int, int]:
    try:
        # Image.open reads only the header, so the size is checked before verify() decodes.
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format or "", image.size
            if width * height > MAX_PIXELS:
                raise _too_large(f"The image is {width}x{height} pixels.")
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (above ~89 MP it warns, above ~179 MP it refuses in open(), before
        # our check runs); the warning arrives as an exception where warnings are errors.
        raise _too_large("The image declares too many pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ProblemError(415, "not_an_image", "The upload is not a readable image.") from exc
    if fmt not in FORMATS:
        raise ProblemError(415, "unsupported_image", "Upload a JPEG, PNG or WebP image.")
    return FORMATS[fmt], width, height


def photo_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def _store_file(root: Path, sha256: str, data: bytes) -> None:
    target = photo_path(root, sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write aside and rename, so a crash never leaves a half photo under its hash.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)


@router.put(
    "/{sha256}",
    response_model=PhotoStored,
    responses={201: {"model": PhotoStored, "description": "Stored for the first time"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: _BINARY for media in FORMATS.values()},
        }
    },
)
async def upload_photo(
    sha256: Sha256Path, request: Request, seller: SellerDep, state: StateDep
) -> JSONResponse:
    data = await request.body()
    if not data:
        raise ProblemError(422, "empty_upload", "The upload is empty.")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ProblemError(422, "hash_mismatch", "The body's SHA-256 differs from the URL.")
    # Decoding and the database wait off the event loop.
    return await run_in_threadpool(_save, state, seller.id, sha256, data)


def _save(state: ServerState, seller_id: int, sha256: str, data: bytes) -> JSONResponse:
    content_type, width, height = _identify(data)
    _store_file(state.settings.photo_dir, sha256, data)
    photo = Photo(
        sha256=sha256, size_bytes=len(data), content_type=content_type, width=width, height=height
    )
    with state.db.write() as session:
        if session.get(Photo, sha256) is None:
            session.add(photo)
        created = session.get(SellerPhoto, (seller_id, sha256)) is None
        if created:
            session.add(SellerPhoto(seller_id=seller_id, sha256=sha256))
    return JSONResponse(_stored(photo).model_dump(), status_code=201 if created else 200)


@router.get("", response_model=PhotoList, summary="Which of these photos the seller has")
def find_photos(
    sha256: Annotated[list[Sha256], Query(min_length=1, max_length=LOOKUP_LIMIT)],
    seller: SellerDep,
    state: StateDep,
) -> PhotoList:
    """The seller's own uploads among the hashes asked about, so a client sends only the
    photos missing (another seller's upload of the same bytes does not count)."""
    with state.db.read() as session:
        rows = session.exec(
            select(Photo)
            .join(SellerPhoto, col(SellerPhoto.sha256) == col(Photo.sha256))
            .where(SellerPhoto.seller_id == seller.id, col(Photo.sha256).in_(set(sha256)))
        )
        return PhotoList(photos=[_stored(photo) for photo in rows])


def _stored(photo: Photo) -> PhotoStored:
    return PhotoStored(
        sha256=photo.sha256,
        size_bytes=photo.size_bytes,
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
        url=photo_url(photo.sha256),
    )


@router.get(
    "/{sha256}",
    response_class=FileResponse,
    responses={200: {"content": {media: _BINARY for media in FORMATS.values()}}},
)
def get_photo(sha256: Sha256Path, state: StateDep) -> FileResponse:
    with state.db.read() as session:
        photo = session.get(Photo, sha256)
    if photo is None:
        raise not_found("photo")
    return FileResponse(
        photo_path(state.settings.photo_dir, sha256),
        media_type=photo.content_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
