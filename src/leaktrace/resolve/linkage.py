"""Probabilistic person linkage (Splink on DuckDB) over the exact person clusters.

Exact resolution (`persons.py`) joins records that share an identifier. Records of one
person that share none (a hotel row with the resident ID, a shop order with the mobile)
stay apart. This module scores pairs of exact clusters on what they do carry:

* `name`        exact / Jaro-Winkler >= 0.8 (character level, works on Han names);
* `birth_date`  digits 7-14 of the resident ID (null without an ID): exact / one edit;
* `province`    the ID's region code (first two digits) or the address's province;
* `city`        the address's prefecture (`…市`, `…州`, `…盟`);
* `address`     normalised address: exact / at most 3 character edits;
* `tails`       partial identifiers: last four characters of the cluster's IDs, mobiles,
                cards, and of masked values on its records (`138****8000`, `330304********1234`).

Pairs are blocked on the name and on birth date + surname. u is estimated by random
sampling and m by EM when the case is large enough to train (and the estimates are
sane); otherwise, and for any comparison whose estimates are not, fixed priors are used.
Pairs at or above the threshold are clustered (connected components) into merged persons.

Input (named steps of the engine, from `records.count.prepare`): `rec`,
`counted(rid, person, counted, …)`, `person_of(k, person)`, `ref`, `ref_keys`, the `records` and
`ref_records` views. Output: `possible_links(person_a, person_b, match_probability,
match_weight, agreeing, …)` and `linked_person(person, linked)` (every counted person).
The counts only use them with `count --link probabilistic`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from ..engines import Engine

DEFAULT_THRESHOLD = 0.99
# Fewer clusters than this: no training, fixed m/u (random pairs and EM need data).
MIN_TRAIN = 1000
# Expected share of exact clusters that are a duplicate of another one (the prior).
PRIOR_DUPLICATE_SHARE = 0.01
# The prior never exceeds that of a population of this many persons (small cases).
MAX_PRIOR = 1e-4
U_MAX_PAIRS = 2e6
SEED = 2017

# Province-level region codes of the resident ID (GB/T 2260) and their names.
PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}

# comparison -> (levels shown in `agreeing`, fixed m, fixed u) for the non-null levels, best first.
PRIORS: dict[str, tuple[list[str], list[float], list[float]]] = {
    "name": (["name", "name~"], [0.85, 0.10, 0.05], [0.0005, 0.002, 0.9975]),
    "birth_date": (["birth_date", "birth_date~"], [0.90, 0.05, 0.05], [0.00005, 0.002, 0.99795]),
    "province": (["province"], [0.98, 0.02], [0.30, 0.70]),
    "city": (["city"], [0.95, 0.05], [0.05, 0.95]),
    "address": (["address", "address~"], [0.60, 0.20, 0.20], [0.00001, 0.0001, 0.99989]),
    "tails": (["tails"], [0.30, 0.70], [0.001, 0.999]),
}

log = logging.getLogger(__name__)


@dataclass
class LinkResult:
    clusters: int = 0             # exact person clusters considered
    pairs: int = 0                # candidate pairs scored at or above the threshold
    merged: int = 0               # clusters absorbed into another (persons removed)
    threshold: float = DEFAULT_THRESHOLD
    trained: dict[str, str] = field(default_factory=dict)  # comparison -> em | prior; u -> sampled | prior
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"mode": "probabilistic", "threshold": self.threshold, "clusters": self.clusters,
                "links": self.pairs, "merged_persons": self.merged, "parameters": self.trained,
                "seconds": round(self.seconds, 2)}


def build_features(engine: Engine, only_counted: bool = True) -> int:
    """Create `link_input`: one row per exact person cluster. Returns its row count. Steps:
    `link_rows(person, name, fields, ids, text)` (the persons' evidence and reference rows),
    `link_persons(person)` and `link_rows_normalised` (each row's name, address, keys, masked values)."""
    where = "WHERE c.counted" if only_counted else "WHERE c.person IS NOT NULL"
    # Evidence records of the (counted) persons, and the reference rows of those persons.
    engine.materialize("link_rows", f"""
        SELECT DISTINCT c.person, r.name, r.fields, r.ids, r.text
        FROM counted c JOIN rec r USING (rid)
        {where} AND c.person IS NOT NULL""")
    engine.materialize("link_persons", "SELECT DISTINCT person FROM link_rows")
    engine.run("""
        INSERT INTO link_rows
        SELECT DISTINCT po.person, f.name, f.fields, f.ids, f.text
        FROM ref_keys k JOIN person_of po USING (k) JOIN link_persons USING (person) JOIN ref f USING (fid)""")
    prov_map = ", ".join(f"'{k}': '{v}'" for k, v in PROVINCES.items())
    prov_names = "|".join(PROVINCES.values())
    engine.materialize("link_rows_normalised", f"""
        SELECT person,
               nullif(regexp_replace(coalesce(name, ''), '[\\s·.]', '', 'g'), '') AS name,
               nullif(regexp_replace(lower(coalesce(json_extract_string(fields, '$.address'), '')),
                                     '[\\s,，、()（）#-]', '', 'g'), '') AS address,
               string_split(coalesce(ids, ''), ';') AS keys,
               regexp_extract_all(coalesce(text, ''), '[0-9]{{3,6}}\\*{{3,}}[0-9]{{3}}[0-9Xx]|62[0-9]{{2}}[ *]{{6,}}[0-9]{{4}}') AS masked
        FROM link_rows""")
    engine.materialize("link_input", f"""
        WITH k AS (SELECT person, unnest(keys) AS key FROM link_rows_normalised),
        ids AS (
          SELECT person,
                 min(substr(key, 13, 8)) FILTER (WHERE key LIKE 'cn_id:%') AS birth_date,
                 min(substr(key, 7, 2)) FILTER (WHERE key LIKE 'cn_id:%') AS id_region,
                 list_distinct(list(split_part(key, ':', 1) || right(key, 4))
                   FILTER (WHERE key SIMILAR TO '(cn_id|cn_mobile|bank_card):.*')) AS tails
          FROM k GROUP BY person),
        masked AS (
          SELECT person, list_distinct(list(
                   CASE WHEN length(m) = 18 THEN 'cn_id' WHEN m LIKE '62%' THEN 'bank_card' ELSE 'cn_mobile' END
                   || upper(right(m, 4)))) AS tails
          FROM (SELECT person, replace(unnest(masked), ' ', '') AS m FROM link_rows_normalised) GROUP BY person),
        txt AS (
          SELECT person, mode(name) AS name, mode(address) AS address FROM link_rows_normalised GROUP BY person)
        SELECT t.person, t.name, i.birth_date,
               coalesce(MAP {{{prov_map}}}[i.id_region],
                        regexp_extract(t.address, '^({prov_names})', 1)) AS province,
               nullif(regexp_extract(t.address, '^(?:(?:{prov_names})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?)?([^省市]{{2,6}}?(?:市|州|盟|地区))', 1), '') AS city,
               t.address,
               CASE WHEN len(list_concat(coalesce(i.tails, []), coalesce(m.tails, []))) > 0
                    THEN list_distinct(list_concat(coalesce(i.tails, []), coalesce(m.tails, []))) END AS tails
        FROM txt t LEFT JOIN ids i USING (person) LEFT JOIN masked m USING (person)""")
    return engine.scalar("SELECT count(*) FROM link_input")


def _settings(m_u: dict[str, tuple[list[float], list[float]]], prior: float):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def conf(c, name):
        m, u = m_u[name]
        return c.configure(m_probabilities=m, u_probabilities=u)

    comparisons = [
        conf(cl.JaroWinklerAtThresholds("name", [0.8]), "name"),
        conf(cl.LevenshteinAtThresholds("birth_date", [1]), "birth_date"),
        conf(cl.ExactMatch("province"), "province"),
        conf(cl.ExactMatch("city"), "city"),
        conf(cl.LevenshteinAtThresholds("address", [3]), "address"),
        conf(cl.ArrayIntersectAtSizes("tails", [1]), "tails"),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="person",
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("birth_date", "substr(name, 1, 1)"),
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


def _levels(model: dict) -> dict[str, tuple[list, list]]:
    out = {}
    for c in model["comparisons"]:
        lv = [lv for lv in c["comparison_levels"] if not lv.get("is_null_level")]
        out[c["output_column_name"]] = ([lv.get("m_probability") for lv in lv],
                                        [lv.get("u_probability") for lv in lv])
    return out


def _sane_m(m: list, prior: list[float]) -> bool:
    """EM's m is used only if complete and agreement is likelier than disagreement among matches."""
    return (len(m) == len(prior) and all(x is not None and 0 < x < 1 for x in m)
            and m[0] >= m[-1] and m[0] >= 0.3)


def _sane_u(u: list, prior: list[float]) -> bool:
    return len(u) == len(prior) and all(x is not None and 0 < x < 1 for x in u) and u[-1] >= 0.5


def _train(db_api, table: str, n: int, prior: float) -> tuple[dict, dict[str, str]]:
    """m/u per comparison: sampled u and EM m where sane, else the fixed priors."""
    from splink import Linker, block_on

    m_u = {k: (list(v[1]), list(v[2])) for k, v in PRIORS.items()}
    how = {k: "prior" for k in PRIORS} | {"u": "prior"}
    if n < MIN_TRAIN:
        return m_u, how
    sdf = db_api.register(table, table_name=f"{table}_train")
    linker = Linker(sdf, _settings(m_u, prior), log_level=None)
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=min(U_MAX_PAIRS, n * (n - 1) / 2), seed=SEED)
        u_est = _levels(linker.misc.save_model_to_json())
        for k in PRIORS:
            if _sane_u(u_est[k][1], PRIORS[k][2]):
                m_u[k] = (m_u[k][0], u_est[k][1])
                how["u"] = "sampled"
    except Exception as exc:  # noqa: BLE001 - training is best effort, priors remain
        log.warning("u estimation failed, fixed u used: %s", exc)
    em_m: dict[str, list] = {}
    for rule, trains in ((block_on("name"), [k for k in PRIORS if k != "name"]),
                         (block_on("birth_date"), ["name"])):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
            est = _levels(linker.misc.save_model_to_json())
            for k in trains:
                em_m[k] = est[k][0]
        except Exception as exc:  # noqa: BLE001 - too few pairs, no convergence ...
            log.warning("EM on %s failed, fixed m kept: %s", rule, exc)
    for k, m in em_m.items():
        if _sane_m(m, PRIORS[k][1]):
            m_u[k] = (m, m_u[k][1])
            how[k] = "em"
    return m_u, how


def link_persons(engine: Engine, threshold: float = DEFAULT_THRESHOLD,
                 train: bool = True, only_counted: bool = True) -> LinkResult:
    """Score pairs of exact clusters and cluster those at or above `threshold`.

    Creates `possible_links(person_a, person_b, match_probability, match_weight, agreeing,
    name_a, name_b, birth_date_a, birth_date_b)` and `linked_person(person, linked)`."""
    from splink import Linker

    t0 = time.perf_counter()
    res = LinkResult(threshold=threshold)
    n = build_features(engine, only_counted=only_counted)
    res.clusters = n
    _empty_outputs(engine)
    if n < 2:
        res.seconds = time.perf_counter() - t0
        return res
    prior = min(MAX_PRIOR, 2 * PRIOR_DUPLICATE_SHARE / (n - 1))
    # Splink runs in a scratch session of its own (it keeps lazy results open on it); inputs
    # and outputs cross as Arrow tables.
    features = engine.arrow("SELECT * FROM link_input")
    with engine.scratch() as (scratch, db_api):
        scratch.register_arrow("link_arrow", features)
        scratch.run("CREATE TABLE link_input AS SELECT * FROM link_arrow")
        scratch.unregister("link_arrow")
        if train:
            m_u, how = _train(db_api, "link_input", n, prior)
        else:
            m_u = {k: (list(v[1]), list(v[2])) for k, v in PRIORS.items()}
            how = {k: "prior" for k in PRIORS} | {"u": "prior"}
        res.trained = how
        sdf = db_api.register("link_input", table_name="link_input_predict")
        linker = Linker(sdf, _settings(m_u, prior), log_level=None)
        pred = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
        agree = []
        for comp, (labels, m_prior, _) in PRIORS.items():
            for level, label in enumerate(labels):
                # gamma: the else level is 0, the best level len(levels) - 1
                agree.append(f"CASE WHEN gamma_{comp} = {len(m_prior) - 1 - level} THEN '{label}' END")
        agreeing = scratch.dialect.list_filter(f"[{', '.join(agree)}]", "x", "x IS NOT NULL")
        links = scratch.arrow(f"""
            SELECT least(person_l, person_r) AS person_a, greatest(person_l, person_r) AS person_b,
                   match_probability, match_weight,
                   {agreeing} AS agreeing,
                   name_l AS name_a, name_r AS name_b, birth_date_l AS birth_date_a, birth_date_r AS birth_date_b
            FROM {pred.physical_name}
            WHERE match_probability >= {threshold}
            ORDER BY match_probability DESC, person_a, person_b""")
        res.pairs = links.num_rows
        if res.pairs:
            cl = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold)
            clusters = scratch.arrow(f"""
                SELECT person, min(person) OVER (PARTITION BY cluster_id) AS linked
                FROM {cl.physical_name}""")
        else:
            clusters = None
    engine.register_arrow("_links_arrow", links)
    engine.run("INSERT INTO possible_links SELECT * FROM _links_arrow")
    engine.unregister("_links_arrow")
    if clusters is not None:
        engine.register_arrow("_clusters_arrow", clusters)
        engine.materialize("linked_person", "SELECT * FROM _clusters_arrow")
        engine.unregister("_clusters_arrow")
    res.merged = engine.scalar("SELECT count(*) FROM linked_person WHERE linked <> person")
    res.seconds = time.perf_counter() - t0
    return res


def _empty_outputs(engine: Engine) -> None:
    engine.create("possible_links", """person_a UHUGEINT, person_b UHUGEINT, match_probability DOUBLE,
            match_weight DOUBLE, agreeing VARCHAR[], name_a VARCHAR, name_b VARCHAR,
            birth_date_a VARCHAR, birth_date_b VARCHAR""")
    engine.materialize("linked_person", "SELECT person, person AS linked FROM link_input")


def apply_links(engine: Engine) -> None:
    """Merge the linked clusters into persons: rewrite `counted.person` and `person_of.person`."""
    for table in ("counted", "person_of"):
        engine.run(engine.dialect.update_from(table, "person", "lp.linked", "linked_person lp",
                                              f"{table}.person = lp.person AND lp.linked <> lp.person"))

