"""Simulated buyers playing against a running server through the public HTTP API.

Every loop is bounded (a number of actions, a duration, or both) and only loopback
servers are accepted, so a stray run can neither spin forever nor reach anyone's real site.
"""

import random
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from marketplace.buyer_profiles import buyer_identity

LOOPBACK = {"127.0.0.1", "::1"}
ACTIONS = ("browse", "like", "unlike", "follow", "offer", "accept", "buy", "ask")
WEIGHTS = (3, 5, 1, 1, 3, 2, 1, 1)
# Buyers who watch the seller's live shows look in often and buy on air about half the time.
WATCH_WEIGHT = 6
BUY_ON_AIR = 0.5
# What buyers ask sellers before they buy: the measurements, or the shipping to their door.
QUESTIONS = (
    "Hi! Could you give me the measurements, pit to pit and length?",
    "What are the measurements laid flat? I am between two sizes.",
    "How much would shipping be to {city}, and how soon would it go out?",
    "Do you combine shipping if I buy two things?",
)


@dataclass
class SimBuyer:
    id: int
    name: str
    client: httpx.Client
    liked: set[int]
    city: str


class Simulator:
    def __init__(
        self,
        base_url: str,
        seller: str,
        *,
        seed: int = 7,
        speed: float = 10.0,
        buyers: int = 8,
        watch_shows: bool = False,
    ) -> None:
        host = urlsplit(base_url).hostname
        if host not in LOOPBACK:
            raise ValueError(f"The simulator only plays against 127.0.0.1, not {host!r}.")
        self.base_url = base_url.rstrip("/")
        self.seller = seller
        self.rng = random.Random(seed)
        self.speed = speed
        self.population = buyers
        self.buyers: list[SimBuyer] = []
        self.listings: list[dict[str, object]] = []
        self.outcomes: Counter[str] = Counter()
        self.actions = ACTIONS + (("watch",) if watch_shows else ())
        self.weights = WEIGHTS + ((WATCH_WEIGHT,) if watch_shows else ())

    def _sign_up(self) -> None:
        for index in range(self.population):
            name, address = buyer_identity(index, self.rng.choice)
            response = httpx.post(
                f"{self.base_url}/v1/market/buyers",
                json={"name": name, "address": address},
                timeout=30,
            )
            response.raise_for_status()
            body = response.json()
            client = httpx.Client(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {body['token']}"},
                timeout=30,
            )
            self.buyers.append(SimBuyer(body["id"], name, client, set(), str(address["city"])))

    def run(self, *, actions: int = 200, duration: float | None = None) -> Counter[str]:
        """Play at most `actions` actions, stopping early after `duration` seconds."""
        if not self.buyers:
            self._sign_up()
        deadline = time.monotonic() + duration if duration is not None else None
        try:
            for _ in range(actions):
                if deadline is not None and time.monotonic() >= deadline:
                    break
                buyer = self.rng.choice(self.buyers)
                action = self.rng.choices(self.actions, self.weights)[0]
                status = getattr(self, f"_{action}")(buyer)
                self.outcomes[f"{action}:{'ok' if status < 400 else status}"] += 1
                if self.speed > 0:
                    time.sleep(1 / self.speed)
        finally:
            self.close()
        return self.outcomes

    def close(self) -> None:
        for buyer in self.buyers:
            buyer.client.close()
        self.buyers.clear()

    def _active(self) -> list[dict[str, object]]:
        return [item for item in self.listings if item["status"] == "active"]

    def _browse(self, buyer: SimBuyer) -> int:
        response = buyer.client.get(
            f"/v1/market/sellers/{self.seller}/listings", params={"limit": 500}
        )
        if response.status_code == 200:
            self.listings = response.json()["listings"]
        return response.status_code

    def _pick(self) -> dict[str, object] | None:
        active = self._active()
        if not active:
            return None
        return self.rng.choice(active)

    def _like(self, buyer: SimBuyer) -> int:
        listing = self._pick()
        if listing is None:
            return self._browse(buyer)
        listing_id = int(str(listing["id"]))
        response = buyer.client.put(f"/v1/market/listings/{listing_id}/like")
        if response.status_code == 200:
            buyer.liked.add(listing_id)
        return response.status_code

    def _unlike(self, buyer: SimBuyer) -> int:
        if not buyer.liked:
            return self._like(buyer)
        listing_id = self.rng.choice(sorted(buyer.liked))
        buyer.liked.discard(listing_id)
        return buyer.client.delete(f"/v1/market/listings/{listing_id}/like").status_code

    def _follow(self, buyer: SimBuyer) -> int:
        return buyer.client.put(f"/v1/market/sellers/{self.seller}/follow").status_code

    def _offer(self, buyer: SimBuyer) -> int:
        listing = self._pick()
        if listing is None:
            return self._browse(buyer)
        # Between half and 95% of the price: the low ones fall under most floors.
        amount = max(1, int(int(str(listing["price_cents"])) * self.rng.uniform(0.5, 0.95)))
        response = buyer.client.post(
            f"/v1/market/listings/{listing['id']}/offers", json={"amount_cents": amount}
        )
        return response.status_code

    def _accept(self, buyer: SimBuyer) -> int:
        response = buyer.client.get("/v1/market/offers")
        if response.status_code != 200:
            return response.status_code
        open_offers = [
            offer
            for offer in response.json()["offers"]
            if offer["status"] == "pending" and offer["kind"] != "buyer"
        ]
        if not open_offers:
            return response.status_code
        offer = self.rng.choice(open_offers)
        return buyer.client.post(f"/v1/market/offers/{offer['id']}/accept").status_code

    def _ask(self, buyer: SimBuyer) -> int:
        """A question to the seller, mostly about one listing, sometimes about the closet."""
        listing = self._pick()
        question = self.rng.choice(QUESTIONS).format(city=buyer.city)
        body: dict[str, object] = {"body": question}
        if listing is not None and self.rng.random() < 0.8:
            body["listing_id"] = listing["id"]
        response = buyer.client.post(f"/v1/market/sellers/{self.seller}/messages", json=body)
        return response.status_code

    def _watch(self, buyer: SimBuyer) -> int:
        """Looks in on the seller's live show, and sometimes buys what is on air."""
        response = buyer.client.get(f"/v1/market/sellers/{self.seller}/shows")
        if response.status_code != 200:
            return response.status_code
        live = [show for show in response.json()["shows"] if show["status"] == "live"]
        on_sale = [
            (show["id"], slot["listing_id"])
            for show in live
            for slot in show["lineup"]
            if slot["status"] == "active"
        ]
        if not on_sale or self.rng.random() >= BUY_ON_AIR:
            return response.status_code
        show_id, listing_id = self.rng.choice(on_sale)
        return buyer.client.post(
            f"/v1/market/shows/{show_id}/buy", json={"listing_id": listing_id}
        ).status_code

    def _buy(self, buyer: SimBuyer) -> int:
        active = self._active()
        if not active:
            return self._browse(buyer)
        count = 2 if len(active) > 3 and self.rng.random() < 0.2 else 1
        chosen = self.rng.sample(active, count)
        response = buyer.client.post(
            "/v1/market/orders", json={"listing_ids": [item["id"] for item in chosen]}
        )
        if response.status_code == 201:
            for item in chosen:
                item["status"] = "sold"
        return response.status_code
