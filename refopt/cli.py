"""The ``refopt`` command.

    refopt verify [NAME ...]            hand-derived derivatives vs independent ones, a table
    refopt functions list               every test function, one line each
    refopt functions show NAME          one function's catalog entry (metadata, x0, x*, f*)
    refopt functions export [--out DIR] write the JSON catalog with golden values
    refopt reproduce NAME [--quick] [--out DIR] [--seed S] [--protocol P]
                                        rerun a published result: table, CSV and PNG figures
    refopt reproduce --list             the experiments it knows

Exit status: 0 on success, 1 when a verification fails, 2 on bad usage (unknown name, ...).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Sequence

__all__ = ["main"]


def _verify(args) -> int:
    from .functions import get, names
    from .functions.catalog import K, default_dir, load
    from .verify import COMPLEX_RTOL, FSTAR_RTOL, GRAD_RTOL, HESS_RTOL, verify_function

    chosen = args.names or names()
    functions = [get(name) for name in chosen]  # validates every name before the slow part
    folder = default_dir()
    have_catalog = folder.is_dir()
    print(
        "refopt verify: hand-derived derivatives against independent ones, entry by entry\n"
        "  at x0, 3 seeded points and branch points: complex step (analytic functions, rtol "
        f"{COMPLEX_RTOL:g}) or Richardson differences (gradient {GRAD_RTOL:g}, Hessian {HESS_RTOL:g});\n"
        "  errors in units of each entry's tolerance (pass: <= 1); Hessians exactly symmetric\n"
        + (f"  exact: against the catalog's exact values ({folder}), in units of "
           f"{K}·ε·scale (pass: <= 1)\n" if have_catalog else
           f"  exact: no catalog at {folder} (run from the repository root to compare with it)\n")
        + f"  f*: f(x*) against the recorded f*, relative (pass: <= {FSTAR_RTOL:g})\n"
    )
    header = (f"{'name':<30}{'alias':<7}{'n':>3}{'m':>4}  {'reference':<11}{'grad':>8}{'hess':>8}"
              f"{'exact':>9}  {'worst exact entry':<20}{'f* err':>8}  result")
    print(header)
    print("-" * len(header))
    failed = []
    start = time.perf_counter()
    for tf in functions:
        catalog = load(tf.name, folder) if have_catalog and (folder / f"{tf.name}.json").exists() else None
        rep = verify_function(tf, catalog=catalog)
        alias = tf.aliases[0] if tf.aliases else ""
        fs = "-" if rep.fstar_error is None else f"{rep.fstar_error:.1e}"
        ex = "-" if rep.exact_units is None else f"{rep.exact_units:.1e}"
        result = "pass" if rep.passed else "FAIL"
        if not rep.symmetric:
            result += " (asymmetric Hessian)"
        print(
            f"{tf.name:<30}{alias:<7}{tf.n:>3}{'-' if tf.m is None else tf.m:>4}  {rep.method:<11}"
            f"{rep.grad_units:>8.1e}{rep.hess_units:>8.1e}{ex:>9}  {rep.exact_where:<20}{fs:>8}  {result}",
            flush=True,
        )
        if not rep.passed:
            failed.append(tf.name)
    print(
        f"\n{len(functions) - len(failed)} passed, {len(failed)} failed "
        f"({time.perf_counter() - start:.1f} s)"
    )
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


def _list(args) -> int:
    from .functions import get, names

    kinds = [args.kind] if args.kind else ["mgh", "classic"]
    for kind in kinds:
        for name in names(kind):
            tf = get(name)
            alias = tf.aliases[0] if tf.aliases else ""
            fstar = "" if tf.fstar is None else f"f*={tf.fstar:.6g}"
            m = "" if tf.m is None else f"m={tf.m}"
            print(f"{name:<32}{alias:<7}n={tf.n:<4}{m:<6}{fstar:<16}{tf.spec.n_text}")
    return 0


def _show(args) -> int:
    from .functions.catalog import metadata

    print(json.dumps(metadata(args.name), indent=2))
    return 0


def _export(args) -> int:
    from .functions.catalog import default_dir

    try:
        from .oracle.catalog import export
    except ImportError as exc:
        raise ValueError(str(exc)) from None
    paths = export(args.out or default_dir(), args.names or None)
    print(f"wrote {len(paths)} files to {paths[0].parent if paths else args.out}")
    return 0


def _reproduce(args) -> int:
    from pathlib import Path

    from .experiments import EXPERIMENTS, load

    if args.list or not args.name:
        width = max(map(len, EXPERIMENTS)) + 2
        for name in EXPERIMENTS:
            try:
                summary = load(name).SUMMARY
            except ImportError:  # registered but not built in this checkout
                summary = "(not available)"
            print(f"{name:<{width}}{summary}")
        return 0 if args.list else 2
    module = load(args.name)
    out = Path(args.out or f"refopt-{args.name}")
    out.mkdir(parents=True, exist_ok=True)
    interactive = sys.stderr.isatty()

    def progress(text: str) -> None:
        # one line, rewritten in place on a terminal; plain lines in a log
        print(("\r\033[K" if interactive else "") + text, end="" if interactive else "\n",
              file=sys.stderr, flush=True)

    kwargs = {}
    if args.protocol is not None:
        if not hasattr(module, "PROTOCOLS"):
            offered = [n for n in EXPERIMENTS if hasattr(load(n), "PROTOCOLS")]
            raise ValueError(f"--protocol is offered by {', '.join(offered)}; {args.name} has one protocol")
        kwargs["protocol"] = args.protocol
    start = time.perf_counter()
    data = module.run(quick=args.quick, seed=args.seed, progress=progress, **kwargs)
    if interactive:
        print(file=sys.stderr)
    print(module.table(data))
    paths = module.report(data, out)
    print(f"\n{args.name}: {time.perf_counter() - start:.1f} s; wrote " + ", ".join(str(p) for p in paths))
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="refopt", description="refopt: a reference for second-order optimization")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="check the hand-derived derivatives of the test functions")
    v.add_argument("names", nargs="*", help="function names or aliases (default: all)")
    v.set_defaults(run=_verify)
    fn = sub.add_parser("functions", help="the test-function catalog")
    fsub = fn.add_subparsers(dest="action", required=True)
    ls = fsub.add_parser("list", help="list every test function")
    ls.add_argument("--kind", choices=["mgh", "classic"])
    ls.set_defaults(run=_list)
    sh = fsub.add_parser("show", help="show one function's catalog entry")
    sh.add_argument("name")
    sh.set_defaults(run=_show)
    ex = fsub.add_parser("export", help="write test_functions/*.json with golden values")
    ex.add_argument("names", nargs="*")
    ex.add_argument("--out", help="directory (default: the checkout's test_functions/)")
    ex.set_defaults(run=_export)
    rp = sub.add_parser("reproduce", help="rerun a published result (table, CSV, PNG)")
    rp.add_argument("name", nargs="?", help="experiment name (see --list)")
    rp.add_argument("--list", action="store_true", help="list the experiments")
    rp.add_argument("--quick", action="store_true", help="reduced protocol, about a minute")
    rp.add_argument("--out", help="output directory (default: ./refopt-NAME)")
    rp.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    rp.add_argument("--protocol", help="the protocol, where an experiment has several (ogr-vs-bfgs: paper, authors)")
    rp.set_defaults(run=_reproduce)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except ValueError as exc:
        print(f"refopt: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `refopt functions list | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
