#!/bin/sh
# Adds Seller Studio to the applications menu of the current user, pointing at this folder;
# `--remove` takes it out again. Your data (~/.local/share/seller-studio) is never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
sizes="16 24 32 48 64 128 256 512"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$apps/seller-studio.desktop"
    for size in $sizes; do rm -f "$icons/${size}x${size}/apps/seller-studio.png"; done
    rm -f "$icons/scalable/apps/seller-studio.svg"
    echo "Removed Seller Studio from the applications menu."
    exit 0
fi

mkdir -p "$apps" "$icons/scalable/apps"
sed "s|@EXEC@|\"$here/seller-studio\"|" "$here/seller-studio.desktop" > "$apps/seller-studio.desktop"
for size in $sizes; do
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$here/icons/seller-studio-$size.png" "$icons/${size}x${size}/apps/seller-studio.png"
done
cp "$here/icons/seller-studio.svg" "$icons/scalable/apps/seller-studio.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
echo "Seller Studio is in your applications menu. Run it from here: $here/seller-studio"
