"""Three margins computed by hand (docs/spec/MARGIN-MODEL.md section 4), every field asserted.

All amounts are integers at SCALE = 10^8 (1 USD = 100_000_000 VU, 1 contract = 10^8).
"""
from __future__ import annotations

from engine.account import Account
from engine.margin import compute_margin
from engine.riskbook import InstrumentRisk, RiskBook

from tests.engine.books import make_book


def test_worked_example_with_an_option() -> None:
    # Book: S = 3 stress scenarios, H = 0, im_factor 1.5.
    #   PERP: mark 100 USD, cont 0.50 USD, R = [+10, -10, 0] USD
    #   CALL: mark 5.00000001, som 1 USD, R = [6.00000001, -4.00000003, 1.5] USD
    book = RiskBook(S=3, H=0, k=0, im_factor=150_000_000, instruments=(
        InstrumentRisk("PERP", "perpetual", "X", 10_000_000_000, 0, 50_000_000,
                       (1_000_000_000, -1_000_000_000, 0),
                       {"delta": 100_000_000, "gamma": 0, "vega": 0, "theta": 0}),
        InstrumentRisk("CALL", "call", "X", 500_000_001, 100_000_000, 0,
                       (600_000_001, -400_000_003, 150_000_000),
                       {"delta": 50_000_000, "gamma": 1_000_000, "vega": 7, "theta": -3})),
        collateral=())
    # Account: cash 1000 USD, long 2.5 PERP, short 3.00000003 CALL (listed as two slots).
    acct = Account(cash=100_000_000_000, positions=(
        ("PERP", 250_000_000), ("CALL", -300_000_000), ("CALL", -3)))
    r = compute_margin(acct, book)
    # s0: 250_000_000*1_000_000_000 - 300_000_003*600_000_001
    #   = 250_000_000_000_000_000 - 180_000_002_100_000_003 = 69_999_997_899_999_997
    #   P0 = floor(/1e8) = 699_999_978  ->  L0 = -699_999_978
    # s1: -250_000_000_000_000_000 + 300_000_003*400_000_003 (= 120_000_002_100_000_009)
    #   = -129_999_997_899_999_991 -> P1 = floor(-1_299_999_978.99999991) = -1_299_999_979
    # s2: -300_000_003*150_000_000 = -45_000_000_450_000_000 -> P2 = floor(-450_000_004.5) = -450_000_005
    assert r.losses == (-699_999_978, 1_299_999_979, 450_000_005)
    assert r.scan_loss == 1_299_999_979 and r.worst_scenario == 1
    assert r.es == 0                                   # H = 0
    assert r.som == 300_000_003                        # ceil(300_000_003 * 100_000_000 / 1e8)
    assert r.cont == 125_000_000                       # ceil(250_000_000 * 50_000_000 / 1e8)
    assert r.mm == 1_424_999_979                       # max(1_299_999_979, 0, 300_000_003) + 125_000_000
    assert r.im == 2_137_499_969                       # ceil(1_424_999_979 * 1.5) = ceil(2_137_499_968.5)
    # position value: floor((250_000_000*10_000_000_000 - 300_000_003*500_000_001) / 1e8)
    #   = floor((2_500_000_000_000_000_000 - 150_000_001_800_000_003) / 1e8)
    #   = floor(23_499_999_981.99999997) = 23_499_999_981
    assert r.position_value == 23_499_999_981
    assert r.collateral_value == 0
    assert r.equity == 123_499_999_981                 # 100_000_000_000 + 0 + 23_499_999_981
    assert r.excess == 122_075_000_002                 # 123_499_999_981 - 1_424_999_979
    assert r.status == "healthy"                       # equity >= im
    # isolated: PERP ceil(250_000_000 * 1_000_000_000 / 1e8) + cont = 2_500_000_000 + 125_000_000
    #           CALL max(ceil(180_000_002_100_000_003 / 1e8) = 1_800_000_022, som 300_000_003)
    assert r.isolated_mm == 2_625_000_000 + 1_800_000_022
    assert r.netting_benefit == 4_425_000_022 - 1_424_999_979
    # greeks: delta floor((250_000_000*1e8 - 300_000_003*5e7) / 1e8) = floor(99_999_998.5)
    #         gamma floor(-300_000_003 * 1_000_000 / 1e8) = floor(-3_000_000.03)
    #         vega floor(-300_000_003 * 7 / 1e8) = floor(-21.00000021) = -22,
    #         theta floor(-300_000_003 * -3 / 1e8) = floor(9.00000009) = 9
    assert r.greeks == {"X": {"delta": 99_999_998, "gamma": -3_000_001, "vega": -22, "theta": 9}}


def test_worked_example_with_collateral_shocks() -> None:
    # Book: S = 2, H = 0, im_factor 1.25.  ETH-PERP: mark 3400, cont 17, R = [-340, +170].
    # Collateral USDC (price 1, haircut 0.02, no risk) and ETH (price 3400, haircut 0.15,
    # C = [-340.00000001, +170]).
    book = make_book(2, 0, 0, 125_000_000,
                     [("ETH-PERP", "perpetual", 340_000_000_000, 0, 1_700_000_000,
                       [-34_000_000_000, 17_000_000_000])],
                     [("USDC", 100_000_000, 2_000_000, [0, 0]),
                      ("ETH", 340_000_000_000, 15_000_000, [-34_000_000_001, 17_000_000_000])])
    # Account: bought 1 ETH-PERP (cash -3400), holds 2.5 ETH and 1000.50000001 USDC.
    acct = Account(cash=-340_000_000_000, positions=(("ETH-PERP", 100_000_000),),
                   collateral=(("ETH", 250_000_000), ("USDC", 100_050_000_001)))
    r = compute_margin(acct, book)
    # s0: 1e8*(-34e9) + 250_000_000*(-34_000_000_001) + 0
    #   = -3_400_000_000_000_000_000 - 8_500_000_000_250_000_000 = -11_900_000_000_250_000_000
    #   P0 = floor(-119_000_000_002.5) = -119_000_000_003
    # s1: 1e8*17e9 + 250_000_000*17e9 = 5_950_000_000_000_000_000 -> P1 = 59_500_000_000
    assert r.losses == (119_000_000_003, -59_500_000_000)
    assert r.scan_loss == 119_000_000_003 and r.worst_scenario == 0
    assert r.es == 0 and r.som == 0
    assert r.cont == 1_700_000_000
    assert r.mm == 120_700_000_003
    assert r.im == 150_875_000_004                     # ceil(120_700_000_003 * 1.25 = ...003.75)
    # collateral: ETH 250_000_000*340_000_000_000*85_000_000 / 1e16 = 722_500_000_000
    #             USDC 100_050_000_001*100_000_000*98_000_000 / 1e16 = 98_049_000_000.98
    #             floor(820_549_000_000.98) = 820_549_000_000
    assert r.collateral_value == 820_549_000_000
    assert r.position_value == 340_000_000_000
    assert r.equity == 820_549_000_000                 # -3400 + 8205.49 + 3400 (USD)
    assert r.excess == 699_848_999_997
    assert r.status == "healthy"
    # isolated: the perp alone, collateral not shocked: 34_000_000_000 + 1_700_000_000
    assert r.isolated_mm == 35_700_000_000
    assert r.netting_benefit == -85_000_000_003        # wrong-way risk: cross is higher


def test_worked_example_with_expected_shortfall() -> None:
    # Book: S = 1 stress, H = 4 historical, k = 2, im_factor 2.0.
    # Y: mark 50 USD, R = [-3 | -7, +2, -6.50000001, -1] USD.
    book = make_book(1, 4, 2, 200_000_000,
                     [("Y", "perpetual", 5_000_000_000, 0, 0,
                       [-300_000_000, -700_000_000, 200_000_000, -650_000_001, -100_000_000])])
    acct = Account(cash=-12_000_000_000, positions=(("Y", 300_000_000),))   # long 3
    r = compute_margin(acct, book)
    # L = -floor(3 * R): [900_000_000 | 2_100_000_000, -600_000_000, 1_950_000_003, 300_000_000]
    assert r.losses == (900_000_000, 2_100_000_000, -600_000_000, 1_950_000_003, 300_000_000)
    assert r.scan_loss == 900_000_000 and r.worst_scenario == 0
    # es = ceil((2_100_000_000 + 1_950_000_003) / 2) = ceil(2_025_000_001.5)
    assert r.es == 2_025_000_002
    assert r.som == 0 and r.cont == 0
    assert r.mm == 2_025_000_002                       # ES drives
    assert r.im == 4_050_000_004
    assert r.collateral_value == 0
    assert r.position_value == 15_000_000_000
    assert r.equity == 3_000_000_000                   # -120 + 150 USD
    assert r.excess == 974_999_998
    assert r.status == "restricted"                    # mm <= equity < im
    assert r.isolated_mm == 900_000_000                # isolated margin has no ES
    assert r.netting_benefit == -1_125_000_002
    # short 1 instead: L = R = [-300_000_000 | -700_000_000, 200_000_000, -650_000_001, -100_000_000]
    short = compute_margin(Account(cash=0, positions=(("Y", -100_000_000),)), book)
    assert short.losses[1:] == (-700_000_000, 200_000_000, -650_000_001, -100_000_000)
    assert short.es == 50_000_000                      # ceil((200_000_000 - 100_000_000) / 2)
    assert short.scan_loss == 0 and short.worst_scenario == -1


def test_worked_example_es_floor_at_zero() -> None:
    book = make_book(1, 2, 2, 100_000_000,
                     [("Y", "perpetual", 5_000_000_000, 0, 0, [100, 300_000_000, 500_000_001])])
    # long 1: historical losses -300_000_000 and -500_000_001: their mean is a profit -> es = 0;
    # stress loss -100 / 1e8 floors to P = 100, L = -100: no stress loss -> worst = -1
    r = compute_margin(Account(cash=5, positions=(("Y", 100_000_000),)), book)
    assert r.losses == (-100, -300_000_000, -500_000_001)
    assert r.es == 0 and r.scan_loss == 0 and r.worst_scenario == -1
    assert r.mm == 0 and r.im == 0 and r.status == "healthy"


def test_account_json_round_trip() -> None:
    acct = Account(cash=-12_345_678, positions=(("Y", 3), ("Y", -300_000_000)),
                   collateral=(("C", 1),), salt=99, name="n", description="d")
    obj = acct.to_json()
    assert obj["cash"] == "-0.12345678" and obj["positions"][0]["qty"] == "0.00000003"
    assert Account.from_json(obj) == acct
