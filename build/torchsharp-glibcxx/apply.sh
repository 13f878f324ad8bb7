#!/usr/bin/env bash
# Makes TorchSharp-cpu 0.107's libLibTorchSharp.so load where the system libstdc++ lacks GLIBCXX_3.4.32
# (Debian 12): see README.md. Run by Directory.Build.targets on every build output holding the library;
# patches that copy only (never the NuGet cache), and does nothing where libstdc++ is new enough or
# the copy is already patched.
# Usage: apply.sh NATIVE_FOLDER
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
folder="$1"
library="$folder/libLibTorchSharp.so"
[ -f "$library" ] || exit 0

libstdcxx="$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')"
[ -n "$libstdcxx" ] || libstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
if grep -q GLIBCXX_3.4.32 "$libstdcxx" 2>/dev/null; then
  exit 0  # the system libstdc++ has what TorchSharp asks for
fi
if ! grep -q GLIBCXX_3.4.32 "$library"; then
  exit 0  # another TorchSharp build that does not need it
fi

for tool in patchelf g++; do
  command -v "$tool" >/dev/null || { echo "apply.sh: error: TorchSharp needs '$tool' to be patched for this libstdc++ ($libstdcxx lacks GLIBCXX_3.4.32); install it: sudo apt-get install -y patchelf g++" >&2; exit 1; }
done

if patchelf --print-needed "$library" | grep -qx libnotebookml_ios_shim.so && [ -f "$folder/libnotebookml_ios_shim.so" ]; then
  exit 0  # already patched
fi

# Patch a private copy and move it into place: the output file may be a link to the NuGet cache.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$library" "$work/lib.so"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$work/lib.so"
python3 "$here/mark_version_weak.py" "$work/lib.so" GLIBCXX_3.4.32 >/dev/null
patchelf --add-needed libnotebookml_ios_shim.so "$work/lib.so"
g++ -shared -fPIC -O2 -o "$work/libnotebookml_ios_shim.so" "$here/ios_base_library_init_shim.cpp"
mv -f "$work/libnotebookml_ios_shim.so" "$folder/libnotebookml_ios_shim.so"
rm -f "$library"
mv -f "$work/lib.so" "$library"
echo "apply.sh: patched $library for $libstdcxx (no GLIBCXX_3.4.32)"
