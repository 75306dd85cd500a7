"""Probabilistic person linkage (Splink on DuckDB) after exact resolution, on small cases built here.

One leaked table of unknown origin (>= 20 rows, so every row counts) holds filler persons,
one person twice under two resident IDs with the same birth date (an ID re-issued after a
move) and no shared identifier, and two different persons called 张伟."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from leaktrace.case.store import CaseStore
from leaktrace.detect.engine import Detector
from leaktrace.ingest.scan import Scanner
from leaktrace.profiles import load
from leaktrace.records.count import count_case

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
STREETS = ["人民路", "解放路", "江南大道", "飞霞南路", "振兴路", "学院路", "中山路", "延安路"]


def cn_id(region: str, birth: str, seq: int) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def address(rng: random.Random) -> str:
    return f"浙江省温州市鹿城区{rng.choice(STREETS)}{rng.randint(1, 300)}号{rng.randint(1, 30)}幢{rng.randint(101, 2505)}室"


def build_case(root: Path, tmp: Path) -> CaseStore:
    rng = random.Random(7)
    rows = ["姓名,身份证号,手机,地址"]
    used = set()
    for i in range(40):
        while (name := rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)) in used:
            pass
        used.add(name)
        birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        rows.append(f"{name},{cn_id('330302', birth, 100 + i)},{13800000000 + 7919 * i},{address(rng)}")
    same_addr = "浙江省温州市乐清市飞霞南路154号阳光花园15幢1单元2501室"
    rows.append(f"欧阳建国,{cn_id('330302', '19850312', 411)},,{same_addr}")
    rows.append(f"欧阳建国,{cn_id('330382', '19850312', 233)},15912345678,{same_addr}")
    rows.append(f"张伟,{cn_id('330302', '19700105', 515)},15811112222,浙江省温州市鹿城区人民路8号1幢101室")
    rows.append(f"张伟,{cn_id('330303', '19921121', 627)},15833334444,浙江省温州市龙湾区学院路200号5幢902室")
    folder = root / "li" / "laptop"
    folder.mkdir(parents=True)
    (folder / "客户.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    store = CaseStore(tmp / "case", create=True)
    Scanner(store, Detector()).scan(root)
    return store


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> CaseStore:
    tmp = tmp_path_factory.mktemp("linkage")
    (tmp / "evidence").mkdir()
    return build_case(tmp / "evidence", tmp)


def _links(store: CaseStore) -> list[tuple]:
    path = store.derived("possible_links")
    assert path is not None
    return duckdb.sql(f"SELECT name_a, name_b, match_probability, agreeing FROM '{path}'").fetchall()


def test_exact_counts_unchanged(case):
    prof = load("cn-pi-2017")
    exact = count_case(case, prof)
    default = count_case(case, prof, link="exact")
    assert exact.to_json() == default.to_json()
    assert exact.linkage == {"mode": "exact"}
    assert exact.persons == 44  # every row its own person: no shared identifier anywhere


def test_probabilistic_links_same_person_only(case):
    prof = load("cn-pi-2017")
    counts = count_case(case, prof, link="probabilistic")
    links = _links(case)
    assert [(a, b) for a, b, _, _ in links] == [("欧阳建国", "欧阳建国")]
    _, _, p, agreeing = links[0]
    assert p > 0.999
    assert {"name", "birth_date", "address"} <= set(agreeing)
    assert counts.persons == 43 and counts.linkage["merged_persons"] == 1
    assert counts.linkage["links"] == 1
    # the common name with different birth dates and addresses scores low
    count_case(case, prof, link="probabilistic", link_threshold=1e-6)
    zhang = [p for a, b, p, _ in _links(case) if a == b == "张伟"]
    assert zhang and zhang[0] < 0.5
    assert count_case(case, prof, link="probabilistic", link_threshold=0.5).persons == 43
    # back to exact: the old counts
    assert count_case(case, prof).persons == 44


def test_unknown_mode_rejected(case):
    with pytest.raises(ValueError):
        count_case(case, load("cn-pi-2017"), link="fuzzy")
