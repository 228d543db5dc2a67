"""The calibration suite in full: ktt's calls on synthetic districts with known truth.

Run: python benchmarks/bench_calibration.py [--districts 500] [--seed 2020] [--jobs 2]
[--families ...] [--output CALLS.csv] [--save [DIR]] (``make calibration`` saves into
reports/calibration/, which the backtest report reads; ``--families shifting`` runs the stress
family no model of ktt assumes, which is never saved). Prints, per target family, the Brier
score and the Brier skill score against the base rate of ktt, the hand methods (persistence,
trend_line, trend_line_log) and the official progress classes (open_sdg, unsd, escap, read as
0/1 calls); the reliability table of ktt's calls (ten equal bins); and the runtime, in all and
per district.
"""

from __future__ import annotations

import argparse
import math
import time

from ktt.calibration.districts import ALL_FAMILIES, FAMILIES, STRESS_FAMILIES
from ktt.calibration.suite import (
    MARGIN,
    SEED,
    SUITE_DIR,
    calibrated_pass_rate,
    hand_margin,
    reliability_table,
    reliability_test,
    run_suite,
    save_suite,
    scores,
)
from ktt.report.provenance import versions


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=500,
                        help="districts in all, split evenly across the families")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the suite")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES),
                        choices=ALL_FAMILIES,
                        help=f"process families (default the suite's: {' '.join(FAMILIES)}; "
                             f"{' '.join(STRESS_FAMILIES)} is a stress family outside it)")
    parser.add_argument("--output", metavar="CALLS.csv", help="write every call as CSV")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--save", metavar="DIR", nargs="?", const=str(SUITE_DIR),
                        help="keep the scores and reliability for the backtest report "
                             f"(default {SUITE_DIR.relative_to(SUITE_DIR.parents[1])})")
    args = parser.parse_args(argv)
    if args.save and tuple(args.families) != FAMILIES:
        parser.error("--save keeps the suite of the families "
                     f"{', '.join(FAMILIES)} for the backtest report; run other families "
                     "without it")

    start = time.perf_counter()
    calls = run_suite(args.districts, seed=args.seed, families=args.families, jobs=args.jobs,
                      progress=not args.no_progress)
    elapsed = time.perf_counter() - start
    if args.output:
        calls.to_csv(args.output, index=False)
    if args.save:
        save_suite(calls, {"districts": args.districts, "seed": args.seed, "jobs": args.jobs,
                           "runtime_s": round(elapsed, 1), "families": args.families,
                           "versions": versions()}, args.save)

    print(f"calibration suite: {args.districts} districts ({', '.join(args.families)}), seed "
          f"{args.seed}, ktt defaults (model auto, 4000 paths, no pooling, default readings)")
    ktt_calls = calls[calls["method"] == "ktt"]
    print(f"{len(ktt_calls)} open targets called; by process family: "
          + ", ".join(f"{f} {n}" for f, n in ktt_calls.groupby("family").size().items()))
    table = scores(calls)
    wide = table.pivot(index="target_family", columns="method", values=["brier", "bss"])
    facts = table.groupby("target_family", sort=False)[["n", "base_rate"]].first()
    print("\nBrier score (0 is perfect) and Brier skill score against the base rate "
          "(> 0 beats it)")
    header = f"  {'target family':<14}{'calls':>6}{'base':>6}"
    methods = list(dict.fromkeys(table["method"]))
    header += "".join(f"{m + ' Brier':>22}{'BSS':>8}" for m in methods)
    print(header)
    for family in facts.index:
        line = f"  {family:<14}{facts.loc[family, 'n']:>6d}{facts.loc[family, 'base_rate']:>6.2f}"
        for method in methods:
            line += (f"{wide.loc[family, ('brier', method)]:>22.3f}"
                     f"{wide.loc[family, ('bss', method)]:>8.2f}")
        print(line)
    fewer = table[table["n"] < table["target_family"].map(facts["n"])]
    if len(fewer):
        print("  calls made where a method has fewer (an official class of insufficient_data "
              "makes none; its BSS is against the base rate of its own calls): "
              + ", ".join(f"{r.target_family} {r.method} {r.n}" for r in fewer.itertuples()))

    print(f"\nktt against the best hand method: its skill above the method's (issue 10 asks "
          f"{MARGIN}), and its skill with the method as the reference (1 - Brier / its Brier)")
    for row in hand_margin(table).itertuples():
        print(f"  {row.target_family:<14}{row.hand:<15}{row.ktt_bss:>6.2f} - {row.hand_bss:>5.2f}"
              f" = {row.margin:>5.2f}{'' if row.margin >= MARGIN else ' (short)':<9}"
              f"{row.skill_over_hand:>7.2f}"
              + ("" if math.isnan(row.oracle_margin) else
                 f"   the oracle's margin {row.oracle_margin:.2f}"
                 + (": beyond any forecaster's reach" if row.oracle_margin < MARGIN else "")))

    print("\nThe official progress classes on the calls each one makes, beside ktt's probability "
          "on the same calls: Brier (ktt's), and how often the target was met when the class "
          "said met / not met")
    own = calls.loc[calls["method"] == "ktt", ["district", "target", "probability"]]
    for method in ("open_sdg", "unsd", "escap"):
        made = calls[(calls["method"] == method)].dropna(subset=["probability"]).merge(
            own.rename(columns={"probability": "ktt"}), on=["district", "target"])
        for family, group in made.groupby("target_family", sort=False):
            said = group["probability"] == 1
            brier = ((group["probability"] - group["outcome"]) ** 2).mean()
            ktt = ((group["ktt"] - group["outcome"]) ** 2).mean()
            print(f"  {method:<9}{family:<12}{len(group):>5d} calls  Brier {brier:.3f} (ktt "
                  f"{ktt:.3f})  met when said met {group.loc[said, 'outcome'].mean():.2f}, "
                  f"when not {group.loc[~said, 'outcome'].mean():.2f}")

    print("\nReliability of ktt's calls (ten equal bins of the predicted probability)")
    reliability = reliability_table(calls)
    for family, group in reliability.groupby("target_family", sort=False):
        print(f"  {family}")
        print(f"    {'bin':<15}{'n':>5}{'predicted':>11}{'observed':>10}{'gap':>8}")
        for row in group.itertuples():
            print(f"    {row.bin:<15}{row.n:>5d}{row.predicted:>11.3f}{row.observed:>10.3f}"
                  f"{row.observed - row.predicted:>+8.3f}")

    print("\nAre the gaps larger than chance? (chi-square over the bins; a calibrated forecaster's"
          " p-value is uniform)")
    print(f"  {'target family':<14}{'bins':>5}{'chi2':>8}{'p':>7}{'worst gap':>11}{'in se':>7}")
    for row in reliability_test(calls).itertuples():
        print(f"  {row.target_family:<14}{row.bins:>5d}{row.chi2:>8.1f}{row.p_value:>7.3f}"
              f"{row.worst_gap:>11.3f}{row.worst_z:>7.1f}")

    print("  a perfectly calibrated forecaster would have every bin of 50 calls or more within "
          "0.05 in every target family in this share of suites (outcomes drawn apart, or a "
          "district's calls of one kind drawn together, the pessimistic end):")
    for scale in (1, 4, 16):
        apart, together = (calibrated_pass_rate(calls, scale=scale, repeats=200, together=how)
                           for how in (None, "district"))
        print(f"    {scale * args.districts} districts: {apart:.0%} apart, {together:.0%} "
              "together")

    by_family = (calls[calls["method"] == "ktt"].groupby(["target_family", "family"])
                 .agg(n=("outcome", "size"), base=("outcome", "mean"),
                      mean_p=("probability", "mean")).reset_index())
    print("\nktt by target family and process family: calls, base rate, mean probability")
    for row in by_family.itertuples():
        print(f"  {row.target_family:<12}{row.family:<11}{int(row.n):>5d}{row.base:>7.2f}"
              f"{row.mean_p:>7.2f}")

    print(f"\nruntime: {elapsed:.1f} s in all, {elapsed / max(args.districts, 1):.2f} s a "
          f"district ({args.jobs} job{'s' if args.jobs != 1 else ''})")


if __name__ == "__main__":
    main()
