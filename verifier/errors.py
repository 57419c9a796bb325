"""The verifier layer's error type."""
from __future__ import annotations


class VerifierError(ValueError):
    """Malformed verifier input (a key, proof or public-input file), with a one-line reason."""
