"""Hypothesis profiles of the fuzzing harness: `fuzz-brief` (the default, a few fixed examples
per seed, part of `make test`) and `fuzz` (`make fuzz`: many random examples, 300 per seed or
$FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz-brief", max_examples=2, derandomize=True,
                          phases=[Phase.explicit, Phase.generate], **_COMMON)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 300)), **_COMMON)
