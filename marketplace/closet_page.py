"""A seller's public closet: server-rendered HTML and CSS, no scripts, no build step."""

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlmodel import col, select

from marketplace.auth import StateDep
from marketplace.models import Listing, ListingVideo, Seller, SellerIntroVideo
from marketplace.problems import not_found
from marketplace.representations import listing_out, photo_url
from marketplace.schemas import ListingOut
from marketplace.video_routes import video_url

router = APIRouter(tags=["closet"])

STYLE = """
:root { --ink: #2b2024; --muted: #7b6f73; --accent: #7a1f3d; --paper: #faf7f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, "DejaVu Sans", sans-serif; color: var(--ink);
       background: var(--paper); }
header { padding: 24px 32px; background: #fff; border-bottom: 1px solid #eadfe3; }
header h1 { margin: 0; font-size: 24px; }
header p { margin: 4px 0 0; color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
        gap: 20px; padding: 24px 32px; }
.card { background: #fff; border-radius: 10px; overflow: hidden;
        box-shadow: 0 1px 4px rgba(0,0,0,.08); position: relative; }
.cover { width: 100%; aspect-ratio: 1 / 1; object-fit: cover; display: block; background: #eee; }
.nophoto { width: 100%; aspect-ratio: 1 / 1; display: flex; align-items: center;
           justify-content: center; color: var(--muted); background: #efe9e6; }
.body { padding: 10px 12px 12px; }
.title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.meta { display: flex; justify-content: space-between; margin-top: 4px; }
.price { font-weight: 700; }
.likes { color: var(--accent); }
.sold .cover, .sold .nophoto { filter: grayscale(1) opacity(.55); }
.badge { position: absolute; top: 10px; left: 10px; background: #d81b60; color: #fff;
         font-weight: 700; letter-spacing: .08em; padding: 4px 10px; border-radius: 4px; }
.empty { padding: 48px 32px; color: var(--muted); }
video.cover { object-fit: contain; background: #1d1719; }
.intro { display: block; max-height: 320px; margin-top: 12px; border-radius: 10px;
         background: #1d1719; }
"""


def price_text(cents: int, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    return f"{symbol}{cents // 100}.{cents % 100:02d}"


def _card(item: ListingOut, video: ListingVideo | None = None) -> str:
    sold = item.status == "sold"
    cover = (
        f'<img class="cover" src="{escape(item.photos[0].url)}" alt="{escape(item.title)}">'
        if item.photos
        else '<div class="nophoto">No photo</div>'
    )
    if video is not None:  # the video in the photo's place, its cover frame as the poster
        cover = (
            f'<video class="cover" controls preload="none" playsinline '
            f'poster="{photo_url(video.poster_sha256)}" src="{video_url(video.sha256)}" '
            f'aria-label="{escape(item.title)}"></video>'
        )
    badge = '<span class="badge">SOLD</span>' if sold else ""
    return f"""<article class="card{" sold" if sold else ""}" data-listing-id="{item.id}">
{cover}{badge}
<div class="body"><div class="title">{escape(item.title)}</div>
<div class="meta"><span class="price">{price_text(item.price_cents, item.currency)}</span>
<span class="likes">♥ {item.likes_count}</span></div></div>
</article>"""


def _intro(video: SellerIntroVideo | None) -> str:
    if video is None:
        return ""
    return (
        f'<video class="intro" controls preload="none" playsinline '
        f'poster="{photo_url(video.poster_sha256)}" src="{video_url(video.sha256)}" '
        'aria-label="Meet the seller"></video>'
    )


@router.get("/closet/{seller_name}", response_class=HTMLResponse)
def closet(seller_name: str, state: StateDep) -> HTMLResponse:
    with state.db.read() as session:
        seller = session.exec(select(Seller).where(Seller.name == seller_name)).first()
        if seller is None:
            raise not_found("closet")
        rows = session.exec(
            select(Listing)
            .where(Listing.seller_id == seller.id, Listing.status != "delisted")
            .order_by(col(Listing.status) == "sold", col(Listing.id).desc())
            .limit(500)
        )
        items = [listing_out(session, row) for row in rows]
        intro = session.get(SellerIntroVideo, seller.id)
        videos = {
            row.listing_id: row
            for row in session.exec(
                select(ListingVideo).where(col(ListingVideo.listing_id).in_([i.id for i in items]))
            )
        }
    cards = (
        "\n".join(_card(item, videos.get(item.id)) for item in items)
        or '<p class="empty">Nothing here yet.</p>'
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(seller.display_name)}'s closet</title><style>{STYLE}</style></head>
<body><header><h1>{escape(seller.display_name)}'s closet</h1>
<p>{len(items)} listings</p>{_intro(intro)}</header>
<main class="grid">{cards}</main></body></html>
"""
    return HTMLResponse(page)
