"""Photos, stored once by content hash and shared by every listing that uses them."""

import hashlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from PIL import Image, UnidentifiedImageError
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from marketplace.auth import SellerDep, StateDep
from marketplace.models import Photo, SellerPhoto
from marketplace.problems import ProblemError, not_found
from marketplace.representations import photo_url
from marketplace.schemas import PhotoBatchOut, PhotoList, PhotoStored, Sha256
from marketplace.state import ServerState

router = APIRouter(prefix="/v1/photos", tags=["photos"])

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
Sha256Path = Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")]
LOOKUP_LIMIT = 100  # hashes one lookup may ask about
BATCH_LIMIT = 20  # photos one batch upload may hold (and, together, at most max_upload_bytes)
BATCH_PATH = "/v1/photos:batch"
SHA256_TEXT = re.compile("[0-9a-f]{64}")
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
    photo = _stored_file(state, sha256, data)
    with state.db.write() as session:
        created = _keep(session, seller_id, photo)
    return JSONResponse(_stored(photo).model_dump(), status_code=201 if created else 200)


def _stored_file(state: ServerState, sha256: str, data: bytes) -> Photo:
    """The photo checked and written under its hash; its row is for the caller to keep."""
    content_type, width, height = _identify(data)
    _store_file(state.settings.photo_dir, sha256, data)
    return Photo(
        sha256=sha256, size_bytes=len(data), content_type=content_type, width=width, height=height
    )


def _keep(session: Session, seller_id: int, photo: Photo) -> bool:
    """Records the photo as the seller's; whether it is new to them."""
    if session.get(Photo, photo.sha256) is None:
        session.add(photo)
    created = session.get(SellerPhoto, (seller_id, photo.sha256)) is None
    if created:
        session.add(SellerPhoto(seller_id=seller_id, sha256=photo.sha256))
    return created


@router.post(":batch", response_model=PhotoBatchOut, summary="Upload up to 20 photos")
async def upload_photos(
    photo: Annotated[
        list[UploadFile],
        File(description="Each photo a part whose file name is its SHA-256 in hex"),
    ],
    seller: SellerDep,
    state: StateDep,
) -> JSONResponse:
    """Each part is stored, or refused, exactly as `PUT /v1/photos/{sha256}` would store or
    refuse it alone; one part's problem leaves the others alone."""
    if len(photo) > BATCH_LIMIT:
        raise ProblemError(
            422,
            "batch_too_large",
            f"A batch holds at most {BATCH_LIMIT} photos, not {len(photo)}; send the rest in "
            "another request.",
            max_photos=BATCH_LIMIT,
        )
    parts = [(part.filename or "", await part.read()) for part in photo]
    return await run_in_threadpool(_save_all, state, seller.id, parts)


def _save_all(state: ServerState, seller_id: int, parts: list[tuple[str, bytes]]) -> JSONResponse:
    results: list[dict[str, object]] = []
    kept: list[tuple[int, Photo]] = []
    for sha256, data in parts:
        try:
            if not SHA256_TEXT.fullmatch(sha256):
                raise ProblemError(422, "bad_file_name", "Name each part by its SHA-256 in hex.")
            if hashlib.sha256(data).hexdigest() != sha256:
                raise ProblemError(
                    422, "hash_mismatch", "The part's SHA-256 differs from its name."
                )
            kept.append((len(results), _stored_file(state, sha256, data)))
            results.append({"sha256": sha256, "status": 201, "photo": None, "problem": None})
        except ProblemError as problem:
            results.append(
                {"sha256": sha256, "status": problem.status, "problem": problem.body(BATCH_PATH)}
            )
    # One write for the batch: the files are on disk already, under their hashes.
    with state.db.write() as session:
        for index, stored in kept:
            created = _keep(session, seller_id, stored)
            results[index] |= {
                "status": 201 if created else 200,
                "photo": _stored(stored).model_dump(),
            }
    return JSONResponse({"results": results})


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
