"""``python -m leaktrace.synth OUT [--persons N] [--seed S] [--variant clean|nasty]``."""
import argparse
import json
from pathlib import Path

from .generate import VARIANTS, generate


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m leaktrace.synth", description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variant", choices=VARIANTS, default="clean")
    a = ap.parse_args()
    print(json.dumps(generate(a.out, a.persons, a.seed, a.variant), ensure_ascii=False))


if __name__ == "__main__":
    main()
