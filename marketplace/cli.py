"""`marketplace serve | create-seller | simulate`."""

import argparse
import ipaddress
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import uvicorn

from marketplace.app import build_state, create_app
from marketplace.config import FeeSchedule, Settings
from marketplace.sellers import SellerExists, create_seller
from marketplace.simulator import Simulator


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        data_dir=Path(args.data).expanduser(),
        database_url=args.database_url,
        rate_limit_per_minute=getattr(args, "rate_limit", Settings.rate_limit_per_minute),
        trusted_proxies=tuple(getattr(args, "trusted_proxy", None) or ()),
        fees=_fees(args),
    )


def _fees(args: argparse.Namespace) -> FeeSchedule:
    if not hasattr(args, "fee_percent"):
        return FeeSchedule()  # a command that sells nothing
    return FeeSchedule(args.fee_percent, args.flat_fee_cents, args.flat_fee_below_cents)


def _basis_points(text: str) -> int:
    """'12.5' (percent) -> 1250; argparse shows the message of a refusal."""
    try:
        points = Decimal(text) * 100
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage, e.g. 20 or 12.5") from None
    if not points.is_finite() or points != points.to_integral_value() or not 0 <= points <= 10_000:
        raise argparse.ArgumentTypeError(
            f"{text!r}: a fee is between 0 and 100 percent, to two decimals"
        )
    return int(points)


def _network(text: str) -> str:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an address or network, e.g. 10.0.0.5 or 10.0.0.0/8"
        ) from None
    return text


def _cents(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of cents") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: cents cannot be negative")
    return value


def _serve(args: argparse.Namespace) -> int:
    state = build_state(_settings(args))
    # Forwarding headers are the app's to judge (state.client_address), not uvicorn's.
    uvicorn.run(
        create_app(state),
        host=args.host,
        port=args.port,
        log_level="warning" if args.quiet else "info",
        access_log=not args.quiet,
        proxy_headers=False,
    )
    return 0


def _create_seller(args: argparse.Namespace) -> int:
    state = build_state(_settings(args))
    try:
        token = create_seller(state.db, args.name, args.password)
    except (SellerExists, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(token)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    simulator = Simulator(
        args.base_url,
        args.seller,
        seed=args.seed,
        speed=args.speed,
        buyers=args.buyers,
        watch_shows=args.watch_shows,
    )
    outcomes = simulator.run(actions=args.actions, duration=args.duration)
    print(json.dumps(dict(sorted(outcomes.items())), ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marketplace", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def data_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--data", default="./marketplace-data", help="data directory")
        command.add_argument(
            "--database-url", default=None, help="SQLAlchemy URL; default SQLite in --data"
        )

    serve = commands.add_parser("serve", help="run the Seller API server")
    data_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--rate-limit",
        type=int,
        default=Settings.rate_limit_per_minute,
        help="requests per minute per seller (0: no limit)",
    )
    serve.add_argument("--quiet", action="store_true", help="log warnings only, not every request")
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        type=_network,
        metavar="ADDRESS",
        help="a reverse proxy (address or network) whose X-Forwarded-For names the client; "
        "repeat for several (default: none, the header is ignored)",
    )
    default = FeeSchedule()
    serve.add_argument(
        "--fee-percent",
        type=_basis_points,
        default=default.rate_bp,
        metavar="PERCENT",
        help=f"the fee on a sale (default {default.rate_bp / 100:g})",
    )
    serve.add_argument(
        "--flat-fee-cents",
        type=_cents,
        default=default.flat_cents,
        help=f"the fee instead, for a sale below --flat-fee-below-cents (default "
        f"{default.flat_cents})",
    )
    serve.add_argument(
        "--flat-fee-below-cents",
        type=_cents,
        default=default.flat_below_cents,
        help=f"0 for no flat fee (default {default.flat_below_cents})",
    )
    serve.set_defaults(handler=_serve)

    seller = commands.add_parser("create-seller", help="create a seller; prints its API token")
    data_options(seller)
    seller.add_argument("name")
    seller.add_argument("--password", default=None, help="enables the OAuth consent login")
    seller.set_defaults(handler=_create_seller)

    simulate = commands.add_parser("simulate", help="play buyers against a running server")
    simulate.add_argument("--seller", required=True)
    simulate.add_argument("--base-url", default="http://127.0.0.1:8765")
    simulate.add_argument("--seed", type=int, default=7)
    simulate.add_argument("--speed", type=float, default=10.0, help="actions per second (0: max)")
    simulate.add_argument("--buyers", type=int, default=8)
    simulate.add_argument("--actions", type=int, default=500, help="stop after this many")
    simulate.add_argument("--duration", type=float, default=None, help="stop after seconds")
    simulate.add_argument(
        "--watch-shows", action="store_true", help="buyers also watch live shows and buy on air"
    )
    simulate.set_defaults(handler=_simulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))
