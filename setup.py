"""Build hook: compiles the native BN254 core through cffi when a compiler exists.

Without a working C compiler the package still installs; `native` then runs on its
pure-Python fallback (same API).  The build itself is described in
`native/build_native.py`.
"""
from setuptools import setup

setup()
