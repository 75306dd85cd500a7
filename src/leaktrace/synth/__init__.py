"""Deterministic synthetic case generator (evidence, references, web pages and truth).

``generate(out, persons, seed, variant)`` writes a case laid out like ``shared/eval/dev``;
``python -m leaktrace.synth OUT`` does the same from the command line.
"""
from .generate import generate

__all__ = ["generate"]
