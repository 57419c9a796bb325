"""cffi (API mode) build of the native BN254 core: module `native._bn254`.

Compiles every `native/src/*.c`; the cdef is the text between the marker lines
`/* CDEF BEGIN */` and `/* CDEF END */` of every `native/src/*.h` (several blocks per
header allowed), plus the prototypes of the header's `static inline` API, derived from
the lines that define it (`field_prototypes`): the entries of an X-macro list
`ZKM_FIELD_API(X, F, ...)` (`X(ret, F, name, (params), body)`) for every prefix it is
instantiated with, and every function defined with the `ZKM_API` marker.  Portable C at -O3 (no host-specific -march flag; fast paths are chosen at run time), pthreads;
-ffp-contract=off so that no a * b + c becomes an FMA (the float pricing of pricing.c must
equal Python's doubles).

Development build in place:  `python native/build_native.py`  (or `python -m native.build_native`)
Package build:               setup.py's `cffi_modules=["native/build_native.py:ffibuilder"]`.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
CDEF_RE = re.compile(r"/\* CDEF BEGIN \*/(.*?)/\* CDEF END \*/", re.S)
CFLAGS = ["-O3", "-std=gnu11", "-ffp-contract=off", "-pthread", "-fno-strict-aliasing", "-Wall", "-Wno-unused-function"]


def headers() -> list[Path]:
    """All headers under native/src, sorted so the cdef order is stable."""
    return sorted(SRC.glob("*.h"))


def sources() -> list[Path]:
    """All C sources under native/src."""
    return sorted(SRC.glob("*.c"))


API_LIST_RE = re.compile(r"#define ZKM_FIELD_API\(X, F[^)]*\)(.*?)\n\n", re.S)
API_ENTRY_RE = re.compile(r"X\((\w+), F, (\w+), (\([^)]*\)),")
API_INSTANCE_RE = re.compile(r"^ZKM_FIELD_API\(ZKM_FIELD_DEFINE, (\w+),", re.M)
API_MARKED_RE = re.compile(r"^ZKM_API\s+(\w+)\s+(\w+)(\([^)]*\))", re.M)


def field_prototypes(text: str) -> list[str]:
    """cffi prototypes of a header's static inline API, from its defining lines."""
    protos = []
    for body in API_LIST_RE.findall(text):
        entries = API_ENTRY_RE.findall(body)
        for prefix in API_INSTANCE_RE.findall(text):
            protos += [f"{ret} {prefix}_{name}{params};" for ret, name, params in entries]
    protos += [f"{ret} {name}{params};" for ret, name, params in API_MARKED_RE.findall(text)]
    return protos


def cdef_text() -> str:
    """Concatenated CDEF blocks and derived prototypes of every header."""
    parts = []
    for h in headers():
        text = h.read_text()
        for block in CDEF_RE.findall(text):
            parts.append(f"/* from {h.name} */\n{block.strip()}\n")
        protos = field_prototypes(text)
        if protos:
            parts.append(f"/* derived from {h.name} */\n" + "\n".join(protos) + "\n")
    return "\n".join(parts)


def make_ffibuilder(relative: bool = True) -> FFI:
    """An FFI builder for `native._bn254` (paths relative to the repo root for setuptools)."""
    root = HERE.parent
    ffi = FFI()
    ffi.cdef(cdef_text())
    # only the public headers (those with a CDEF block); internal ones such as the
    # group-law template ec_impl.h are included by the .c files that need them
    public = [h for h in headers()
              if CDEF_RE.search(h.read_text()) or field_prototypes(h.read_text())]
    include = "\n".join(f'#include "{h.name}"' for h in public)
    srcs = [str(s.relative_to(root)) if relative else str(s) for s in sources()]
    inc = str(SRC.relative_to(root)) if relative else str(SRC)
    ffi.set_source(
        "native._bn254",
        include,
        sources=srcs,
        include_dirs=[inc],
        extra_compile_args=CFLAGS,
        extra_link_args=["-pthread"],
        libraries=["m"],
    )
    return ffi


ffibuilder = make_ffibuilder(relative=True)


def build_inplace(verbose: bool = False) -> Path:
    """Compile `native._bn254` next to this file (development build); returns the .so path."""
    import os

    root = HERE.parent
    old = os.getcwd()
    os.chdir(root)
    try:
        ffi = make_ffibuilder(relative=True)
        out = ffi.compile(tmpdir=str(root), verbose=verbose)
    finally:
        os.chdir(old)
    return Path(out)


if __name__ == "__main__":
    path = build_inplace(verbose="-v" in sys.argv[1:])
    print(f"built {path}")
