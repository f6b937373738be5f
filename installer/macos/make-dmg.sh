#!/bin/sh
# Builds dist/SellerStudio-<version>.dmg from the .app made by installer/seller-studio.spec.
# Run on a Mac (not tried on this project's Linux machine): see installer/macos/README.md for
# signing and notarisation, which must happen before this step for Gatekeeper to accept it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cd "$root" && python3 -c "import studio; print(studio.__version__)")
app="$root/dist/Seller Studio.app"
dmg="$root/dist/SellerStudio-$version.dmg"
[ -d "$app" ] || { echo "no $app: run pyinstaller installer/seller-studio.spec first"; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"  # drag the app onto this to install it
rm -f "$dmg"
hdiutil create -volname "Seller Studio" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
echo "$dmg"
