"""`refopt reproduce ogr-vs-bfgs --protocol authors --quick`: the direction of each effect the
controls isolate (tolerances hold for seeds 0–3: measured ratios in the comments), the translated
problems, and the protocol's bad input."""
import csv

import numpy as np
import pytest

from refopt.cli import main
from refopt.experiments import ogr_authors as oa


@pytest.fixture(scope="module")
def authors(tmp_path_factory):
    out = tmp_path_factory.mktemp("authors")
    assert main(["reproduce", "ogr-vs-bfgs", "--protocol", "authors", "--quick", "--out", str(out)]) == 0
    with open(out / "authors_summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert (out / "authors_translation.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cells = {(r["function"], float(r["shift"]), r["method"], int(r["budget"])): r for r in rows}
    last = max(int(r["budget"]) for r in rows)
    return lambda f, m, c=0.0: float(cells[(f, c, m, last)]["median"]), cells


def test_the_prior_leads_at_the_origin(authors):
    med, _ = authors
    # 10-D Rastrigin: OGR+LS from the prior ~20–26 against ~75–88 from the first sample and ~75–100 for BFGS+LS
    assert med("rastrigin", "OGR+LS prior") < 0.5 * med("rastrigin", "OGR+LS first")
    assert med("rastrigin", "OGR+LS prior") < 0.5 * med("rastrigin", "BFGS+LS")
    assert med("rastrigin", "OGR+LS prior") < 0.5 * med("rastrigin", "their BFGS+LS")
    # Ackley on ±5: the prior solves it (≤ 2e-14), nothing else gets below 1
    assert med("ackley", "OGR+LS prior") < 1e-8
    for m in ("OGR+LS first", "BFGS+LS", "their BFGS+LS"):
        assert med("ackley", m) > 1.0


def test_the_lead_goes_with_translation(authors):
    med, _ = authors
    # translated by |c| = 20 the prior's median rises 2.4–4x on Rastrigin, to 0.78–1.0x the first-sample one
    assert med("rastrigin", "OGR+LS prior", 20.0) > 2 * med("rastrigin", "OGR+LS prior")
    assert med("rastrigin", "OGR+LS prior", 20.0) > 0.7 * med("rastrigin", "OGR+LS first")
    assert med("ackley", "OGR+LS prior", 20.0) > 1.0
    # methods that do not know the origin do not move (the starts move with the box)
    for f in ("rastrigin", "ackley"):
        for m in ("BFGS+LS", "their BFGS+LS"):
            assert med(f, m, 20.0) == pytest.approx(med(f, m), rel=1e-3)


def test_translated_problem_and_bad_input():
    p = oa.Problem("sphere", 3.0 * oa.direction())
    x = np.linspace(-1, 1, 10)
    assert p.objective()[0](x + p.c) == pytest.approx(p.tf.f(x), rel=1e-13)
    np.testing.assert_allclose(p.lo, -5.0 + p.c)
    with pytest.raises(ValueError, match="leaves|out of its box"):
        oa.Problem("rastrigin", 20.0 * oa.direction(), move_box=False)
    with pytest.raises(ValueError, match="unknown function"):
        oa.Problem("beale")
    assert main(["reproduce", "ogr-vs-bfgs", "--protocol", "theirs", "--quick"]) == 2
    assert main(["reproduce", "mgh-suite", "--protocol", "authors", "--quick"]) == 2


def test_box_kept_and_starts_in_it():
    """move_box=False: the function moves, the box stays, and the starts are drawn in the box used;
    moved with the box, the starts are the same points relative to its centre."""
    c = 1.0 * oa.direction()
    kept = oa.Problem("rastrigin", c, move_box=False)
    np.testing.assert_allclose((kept.lo, kept.hi), (np.full(10, -5.12), np.full(10, 5.12)))
    x = kept.starts(0, 64)
    assert np.all(x >= kept.lo) and np.all(x <= kept.hi)
    moved = oa.Problem("rastrigin", c)
    np.testing.assert_allclose(moved.starts(0, 64) - c, x, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(moved.starts(0, 64)[:5], moved.starts(0, 5))
    with pytest.raises(ValueError, match="c \\(the translation\\).*length n = 10"):
        oa.Problem("sphere", np.ones(3))
    with pytest.raises(ValueError, match="c \\(the translation\\)"):
        oa.Problem("sphere", np.full(10, np.nan))


def test_protocol_arguments_are_passed_or_refused():
    from refopt.experiments import ogr_vs_bfgs

    data = ogr_vs_bfgs.run(quick=True, protocol="authors", starts=2, steps=3)
    assert (data["starts"], data["steps"], data["shift_starts"]) == (2, 3, 2)
    assert all(c["best"].shape == (2, 4) for c in data["cells"])
    with pytest.raises(ValueError, match="functions and variants"):
        ogr_vs_bfgs.run(quick=True, protocol="authors", functions=(("sphere", 10),))
    with pytest.raises(ValueError, match="steps"):
        oa.run(quick=True, steps=0)
