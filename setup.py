"""Build hook: compiles the native BN254 core through cffi when a compiler exists.

Without a working C compiler (or without cffi at build time) the package still
installs; `native` then runs on its pure-Python fallback (same API).  The build
itself is described in `native/build_native.py` (cffi API mode, module
`native._bn254`); `pip install -e .` builds the extension in place.
"""
from __future__ import annotations

import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """build_ext that warns instead of failing: the pure-Python fallback still works."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler/toolchain failure
            self._warn(exc)

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._warn(exc)

    @staticmethod
    def _warn(exc: Exception) -> None:
        print(f"warning: native C extension not built ({exc}); "
              "zkmargin will use the pure-Python fallback", file=sys.stderr)


def _cffi_modules() -> dict:
    try:
        import cffi  # noqa: F401
    except ImportError:
        print("warning: cffi missing at build time; native C extension skipped",
              file=sys.stderr)
        return {}
    return {"cffi_modules": ["native/build_native.py:ffibuilder"]}


setup(cmdclass={"build_ext": OptionalBuildExt}, **_cffi_modules())
