"""A development key with its contribution folded into the fixed-base scalars is the
same key, byte for byte, as the plain development key followed by ``contribute``."""
from __future__ import annotations

from circuits import Builder
from prover.ceremony import draw_toxic_waste
from prover.contribute import contribute
from prover.dev_keys import dev_zkey, dev_zkey_contributed
from prover.files import save_zkey


def test_dev_zkey_contributed_equals_dev_zkey_then_contribute(tmp_path):
    b = Builder()
    x = b.private_input("x", 3)
    y = b.private_input("y", 5)
    z = b.mul(x, y)
    b.public_output("z", b.add(b.mul(z, z), x))
    r1cs = b.to_r1cs()
    slow, _ = contribute(dev_zkey(r1cs, draw_toxic_waste(3)), "dev", 4)
    fast = dev_zkey_contributed(r1cs, draw_toxic_waste(3), "dev", 4)
    save_zkey(tmp_path / "slow.zkey", slow)
    save_zkey(tmp_path / "fast.zkey", fast)
    assert (tmp_path / "slow.zkey").read_bytes() == (tmp_path / "fast.zkey").read_bytes()
    assert len(fast.mpc.contributions) == 1
