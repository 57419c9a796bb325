"""The parameter table, the generated header, and backend selection."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import native
from native import gen_header, params as bn

ROOT = Path(__file__).resolve().parents[2]


def test_generated_header_is_current():
    assert gen_header.HEADER.read_text() == gen_header.header_text(), (
        "native/src/bn254_params.h is stale: run python -m native.gen_header")


def test_parameter_table_consistency():
    assert bn.P % 4 == 3 and bn.R.bit_length() == 254
    for p, mont in ((bn.P, bn.FQ_MONT), (bn.R, bn.FR_MONT)):
        assert mont["R1"] == (1 << 256) % p and (p * mont["N0"] + 1) % (1 << 64) == 0
    assert bn.fq2_mul(bn.TWIST_B, bn.XI) == (3, 0)
    x, y = bn.G2_GEN
    lhs = bn.fq2_mul(y, y)
    rhs = bn.fq2_mul(bn.fq2_mul(x, x), x)
    assert lhs == ((rhs[0] + bn.TWIST_B[0]) % bn.P, (rhs[1] + bn.TWIST_B[1]) % bn.P)
    assert pow(bn.fr_root_of_unity(28), 1 << 27, bn.R) == bn.R - 1


def _backend_in_subprocess(value: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ZKMARGIN_NATIVE=value)
    return subprocess.run([sys.executable, "-c", "import native; print(native.backend())"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_env_var_forces_backend():
    assert _backend_in_subprocess("python").stdout.strip() == "python"
    c = _backend_in_subprocess("c")
    assert c.returncode == 0 and c.stdout.strip() == "c", c.stderr[-2000:]
    bad = _backend_in_subprocess("fortran")
    assert bad.returncode != 0 and "ZKMARGIN_NATIVE" in bad.stderr


def test_cdef_covers_public_headers():
    from native.build_native import cdef_text

    text = cdef_text()
    for name in ("fq_mul", "fr_vec_mul", "fr_ntt", "g1_msm", "g2_fixed_base_mul",
                 "g2_in_subgroup", "zkm_set_asm"):
        assert name in text


def test_field_prototypes_come_from_the_defining_lines(lib):
    """The static inline field API's cffi prototypes are derived from field.h's X-macro
    list and ZKM_API definitions: every derived name is callable, and the list changes
    with the source."""
    from native.build_native import SRC, field_prototypes

    _, clib = lib
    text = (SRC / "field.h").read_text()
    protos = field_prototypes(text)
    names = [p.split("(")[0].split()[-1] for p in protos]
    assert len(names) == len(set(names)) == 40
    for prefix in ("fq", "fr"):
        for op in ("add", "sub", "mul", "inv", "to_mont", "from_mont", "is_zero"):
            assert f"{prefix}_{op}" in names
    for name in names:
        assert callable(getattr(clib, name))
    extra = text.replace("    X(int, F, eq,", "    X(int, F, equal_to, (const uint64_t *a), return 0;) \\\n    X(int, F, eq,")
    assert len(field_prototypes(extra)) == 42
    assert "void fr_mul(uint64_t *r, const uint64_t *a, const uint64_t *b);" in protos


def test_default_backend_is_c_when_built() -> None:
    """Without ZKMARGIN_NATIVE the built C extension is chosen, in this process and a fresh one."""
    forced = os.environ.get("ZKMARGIN_NATIVE", "").strip().lower()
    assert native.backend() == ("python" if forced == "python" else "c")
    env = {k: v for k, v in os.environ.items() if k != "ZKMARGIN_NATIVE"}
    proc = subprocess.run([sys.executable, "-c", "import native; print(native.backend())"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "c", proc.stderr[-2000:]
