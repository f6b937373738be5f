"""Listing videos: limits the marketplace declares, a restartable upload by content hash,
one video per listing with its cover frame (a photo) as poster.

An upload is sent in pieces (`Content-Range: bytes START-END/TOTAL`, each at most
`chunk_bytes`) to `PUT /v1/videos/{sha256}`; the server appends a piece only at the offset
it has reached, and `GET /v1/videos/{sha256}/upload` says where that is, so a client that
lost its connection carries on from there. The last piece completes it: the whole file must
hash to the URL's SHA-256 and be an H.264 MP4 within the limits. A repeat of a complete
video stores nothing new.
"""

import hashlib
import os
import re
from pathlib import Path
from typing import Annotated

import av
import av.error
from fastapi import APIRouter, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from marketplace.auth import SellerDep, StateDep
from marketplace.config import VideoLimits
from marketplace.ids import IdPath
from marketplace.listings import owned_listing
from marketplace.models import ListingVideo, SellerIntroVideo, SellerPhoto, SellerVideo, Video
from marketplace.problems import PROBLEM_MEDIA_TYPE, ProblemError, not_found
from marketplace.representations import photo_url
from marketplace.state import ServerState

router = APIRouter(prefix="/v1", tags=["videos"])

Sha256Path = Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")]
ContentRange = Annotated[
    str | None,
    Header(
        alias="Content-Range",
        max_length=100,
        description="bytes START-END/TOTAL; without it the body is the whole video.",
    ),
]
_RANGE = re.compile(r"^bytes (\d{1,12})-(\d{1,12})/(\d{1,12})$")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_MP4 = {"video/mp4": _BINARY}
# A piece of an upload is bytes of the MP4, not an MP4 of its own.
_PIECE = {"application/octet-stream": _BINARY}
_HASH_CHUNK = 1 << 20


class VideoLimitsOut(BaseModel):
    min_seconds: float
    max_seconds: float
    max_bytes: int
    max_long_side: int
    chunk_bytes: int
    formats: list[str] = ["video/mp4"]
    video_codecs: list[str] = ["h264"]
    audio_codecs: list[str] = ["aac"]


class VideoUpload(BaseModel):
    sha256: str
    received_bytes: int
    complete: bool
    url: str | None = None  # once complete


class ListingVideoIn(BaseModel):
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    poster_sha256: str = Field(pattern="^[0-9a-f]{64}$", description="An uploaded photo")


class ListingVideoOut(BaseModel):
    sha256: str
    url: str
    poster_url: str
    duration_ms: int
    width: int
    height: int


def video_url(sha256: str) -> str:
    return f"/v1/videos/{sha256}"


def _complete(sha256: str, size: int) -> VideoUpload:
    return VideoUpload(sha256=sha256, received_bytes=size, complete=True, url=video_url(sha256))


def video_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def _partial_path(root: Path, seller_id: int, sha256: str) -> Path:
    return root / ".partial" / f"{seller_id}-{sha256}"


@router.get("/video-limits", response_model=VideoLimitsOut)
def video_limits(state: StateDep) -> VideoLimitsOut:
    limits = state.settings.video_limits
    return VideoLimitsOut(
        min_seconds=limits.min_seconds,
        max_seconds=limits.max_seconds,
        max_bytes=limits.max_bytes,
        max_long_side=limits.max_long_side,
        chunk_bytes=limits.chunk_bytes,
    )


@router.get("/videos/{sha256}/upload", response_model=VideoUpload)
def upload_state(sha256: Sha256Path, seller: SellerDep, state: StateDep) -> VideoUpload:
    """How much of the video the server holds, to carry on an interrupted upload."""
    with state.db.read() as session:
        if session.get(SellerVideo, (seller.id, sha256)) is not None:
            video = session.get(Video, sha256)
            assert video is not None
            return _complete(sha256, video.size_bytes)
    partial = _partial_path(state.settings.video_dir, seller.id, sha256)
    received = partial.stat().st_size if partial.exists() else 0
    return VideoUpload(sha256=sha256, received_bytes=received, complete=False)


@router.put(
    "/videos/{sha256}",
    response_model=VideoUpload,
    responses={
        201: {"model": VideoUpload, "description": "The last piece: stored"},
        409: {
            "description": "The piece does not start where the upload has got to",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
    },
    openapi_extra={"requestBody": {"required": True, "content": _PIECE}},
)
async def upload_video(
    sha256: Sha256Path,
    request: Request,
    seller: SellerDep,
    state: StateDep,
    content_range: ContentRange = None,
) -> JSONResponse:
    data = await request.body()
    if not data:
        raise ProblemError(422, "empty_upload", "The upload is empty.")
    start, end, total = _piece(content_range, len(data), state.settings.video_limits)
    return await run_in_threadpool(_receive, state, seller.id, sha256, data, (start, end, total))


def _piece(header: str | None, size: int, limits: VideoLimits) -> tuple[int, int, int]:
    if header is None:
        start, end, total = 0, size - 1, size
    else:
        match = _RANGE.match(header.strip())
        if match is None:
            raise ProblemError(400, "invalid_range", "Content-Range must be bytes START-END/TOTAL.")
        start, end, total = (int(part) for part in match.groups())
        if end - start + 1 != size or end >= total:
            raise ProblemError(400, "invalid_range", "Content-Range does not match the body.")
    if total > limits.max_bytes:
        raise ProblemError(
            422,
            "video_too_big",
            f"Videos may be at most {limits.max_bytes} bytes.",
            max_bytes=limits.max_bytes,
        )
    return start, end, total


def _receive(
    state: ServerState, seller_id: int, sha256: str, data: bytes, piece: tuple[int, int, int]
) -> JSONResponse:
    start, end, total = piece
    with state.db.read() as session:
        stored = session.get(Video, sha256)
    if stored is not None:
        _own(state, seller_id, sha256)
        return JSONResponse(_complete(sha256, stored.size_bytes).model_dump())
    partial = _partial_path(state.settings.video_dir, seller_id, sha256)
    partial.parent.mkdir(parents=True, exist_ok=True)
    received = partial.stat().st_size if partial.exists() else 0
    if start != received:
        raise ProblemError(
            409,
            "upload_offset",
            f"The server holds {received} bytes of this video; send the piece from there.",
            received_bytes=received,
        )
    with partial.open("ab") as handle:
        handle.write(data)
    if end + 1 < total:
        body = VideoUpload(sha256=sha256, received_bytes=end + 1, complete=False)
        return JSONResponse(body.model_dump())
    try:
        video = _check(partial, sha256, state.settings.video_limits)
    except ProblemError:
        partial.unlink(missing_ok=True)  # a bad whole is started again from nothing
        raise
    target = video_path(state.settings.video_dir, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, target)
    with state.db.write() as session:
        if session.get(Video, sha256) is None:
            session.add(video)
    _own(state, seller_id, sha256)
    return JSONResponse(_complete(sha256, total).model_dump(), status_code=201)


def _own(state: ServerState, seller_id: int, sha256: str) -> None:
    with state.db.write() as session:
        if session.get(SellerVideo, (seller_id, sha256)) is None:
            session.add(SellerVideo(seller_id=seller_id, sha256=sha256))


def _check(path: Path, sha256: str, limits: VideoLimits) -> Video:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise ProblemError(422, "hash_mismatch", "The video's SHA-256 differs from the URL.")
    unsupported = ProblemError(415, "unsupported_video", "Upload an MP4 with H.264 video.")
    try:
        with av.open(str(path)) as container:
            if "mp4" not in container.format.name or not container.streams.video:
                raise unsupported
            stream = container.streams.video[0]
            if stream.codec_context.name != "h264":
                raise unsupported
            seconds = (container.duration or 0) / 1_000_000
            width, height = stream.codec_context.width, stream.codec_context.height
    except av.error.FFmpegError as exc:
        raise unsupported from exc
    if not limits.min_seconds <= seconds <= limits.max_seconds + 0.1:
        raise ProblemError(
            422,
            "video_length",
            f"Videos must last {limits.min_seconds:g} to {limits.max_seconds:g} seconds; "
            f"this one lasts {seconds:.1f}.",
        )
    if max(width, height) > limits.max_long_side:
        raise ProblemError(
            422,
            "video_too_large",
            f"A video's long side may be at most {limits.max_long_side} pixels.",
        )
    return Video(
        sha256=sha256,
        size_bytes=path.stat().st_size,
        duration_ms=round(seconds * 1000),
        width=width,
        height=height,
    )


@router.get("/videos/{sha256}", response_class=FileResponse, responses={200: {"content": _MP4}})
def get_video(sha256: Sha256Path, state: StateDep) -> FileResponse:
    with state.db.read() as session:
        if session.get(Video, sha256) is None:
            raise not_found("video")
    return FileResponse(
        video_path(state.settings.video_dir, sha256),
        media_type="video/mp4",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@router.put("/listings/{listing_id}/video", response_model=ListingVideoOut)
def attach_video(
    listing_id: IdPath, body: ListingVideoIn, seller: SellerDep, state: StateDep
) -> ListingVideoOut:
    """The listing's one video (replacing one it had); upload the video and its poster first."""
    with state.db.write() as session:
        owned_listing(session, seller.id, listing_id)
        _check_owned(session, seller.id, body)
        row = session.get(ListingVideo, listing_id) or ListingVideo(
            listing_id=listing_id, sha256=body.sha256, poster_sha256=body.poster_sha256
        )
        row.sha256, row.poster_sha256 = body.sha256, body.poster_sha256
        session.add(row)
        session.flush()
        return _out(session.get(Video, body.sha256), row)


@router.put("/me/video", response_model=ListingVideoOut)
def set_intro_video(body: ListingVideoIn, seller: SellerDep, state: StateDep) -> ListingVideoOut:
    """The seller's "meet the seller" video, at the top of their closet page."""
    with state.db.write() as session:
        _check_owned(session, seller.id, body)
        row = session.get(SellerIntroVideo, seller.id) or SellerIntroVideo(
            seller_id=seller.id, sha256=body.sha256, poster_sha256=body.poster_sha256
        )
        row.sha256, row.poster_sha256 = body.sha256, body.poster_sha256
        session.add(row)
        session.flush()
        return _out(session.get(Video, body.sha256), row)


@router.get("/me/video", response_model=ListingVideoOut)
def intro_video(seller: SellerDep, state: StateDep) -> ListingVideoOut:
    with state.db.read() as session:
        row = session.get(SellerIntroVideo, seller.id)
        if row is None:
            raise not_found("video")
        return _out(session.get(Video, row.sha256), row)


def _check_owned(session: Session, seller_id: int, body: ListingVideoIn) -> None:
    if session.get(SellerVideo, (seller_id, body.sha256)) is None:
        raise ProblemError(
            422, "unknown_video", "Upload the video with PUT /v1/videos/{sha256} first."
        )
    if session.get(SellerPhoto, (seller_id, body.poster_sha256)) is None:
        raise ProblemError(
            422, "unknown_photo", "Upload the poster with PUT /v1/photos/{sha256} first."
        )


@router.get("/listings/{listing_id}/video", response_model=ListingVideoOut)
def listing_video(listing_id: IdPath, seller: SellerDep, state: StateDep) -> ListingVideoOut:
    with state.db.read() as session:
        owned_listing(session, seller.id, listing_id)
        row = session.get(ListingVideo, listing_id)
        if row is None:
            raise not_found("video")
        return _out(session.get(Video, row.sha256), row)


@router.delete("/listings/{listing_id}/video", status_code=204)
def remove_video(listing_id: IdPath, seller: SellerDep, state: StateDep) -> Response:
    with state.db.write() as session:
        owned_listing(session, seller.id, listing_id)
        row = session.get(ListingVideo, listing_id)
        if row is not None:
            session.delete(row)
    return Response(status_code=204)


def _out(video: Video | None, row: ListingVideo | SellerIntroVideo) -> ListingVideoOut:
    assert video is not None
    return ListingVideoOut(
        sha256=video.sha256,
        url=video_url(video.sha256),
        poster_url=photo_url(row.poster_sha256),
        duration_ms=video.duration_ms,
        width=video.width,
        height=video.height,
    )
