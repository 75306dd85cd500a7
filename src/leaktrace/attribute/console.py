"""Terminal output of `attribute`: counts, scores and paths only (no identifier values). The result
comes masked unless revealed (`mask.redact_tree`); here its text is made inert for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..terminal import literal


def print_attribution(result: dict, console: Console, top: int = 3) -> None:
    """A table of documents and their leading candidate sources, then the lineage links."""
    t = Table(title="Sources of leaked documents")
    t.add_column("holder")
    t.add_column("document", overflow="fold", min_width=16)
    t.add_column("keyed", justify="right")
    t.add_column("candidates: score (share, containment, canaries)", min_width=22)
    t.add_column("why", overflow="fold")
    for f in result["files"]:
        cands = []
        for c in f["candidates"][:top]:
            s = f"{literal(c['source'])} {c['score']:.2f} ({c['share']:.0%}, {c['containment']:.0%}"
            if c.get("method") == "minhash":
                s += f" ±{c['containment_error']:.0%}"
            s += f", {c['canaries']})" if c["canaries"] else ")"
            cands.append(s)
        t.add_row(literal(f["holder"]), literal(f["path"]), str(f["keyed"]), "\n".join(cands) or "-",
                  literal(f["explanation"]))
    console.print(t)
    sketched = [s for s, v in result["sources"].items() if v["method"] == "minhash"]
    if sketched:
        console.print(f"compared by MinHash sketch ({result['sketch']['num_perm']} permutations): "
                      + ", ".join(map(literal, sketched)))
    if result["lineage"]:
        lt = Table(title="Lineage: the same data at more than one holder")
        for name in ("from (holder: document)", "to (holder: document)"):
            lt.add_column(name, overflow="fold", min_width=16)
        for name in ("link", "containment", "direction"):
            lt.add_column(name)
        for l in result["lineage"]:
            lt.add_row(literal(f"{l['from_holder']}: {l['from']}"), literal(f"{l['to_holder']}: {l['to']}"),
                       literal(l["kind"]), f"{l['containment']:.0%}", literal(l["direction"]))
        console.print(lt)
    else:
        console.print("no dataset is shared between holders")
