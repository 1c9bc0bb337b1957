"""The Splink 5 model: comparisons, blocking, training, prediction, clustering.

Written once for every engine: comparisons and blocking rules use Splink's comparison
library (which emits each engine's SQL) and plain SQL conditions every engine reads alike.
The columns are the canonical ones of ``ctip.linkage.features``; which comparisons a model
has depends only on which of those columns hold data, so registry persons and an embassy's
list share one definition.

Training needs no labels: the probability that two random records match is estimated from
deterministic rules, ``u`` by random sampling (seeded), ``m`` by expectation maximisation
in two sessions blocked on names and on birth year, so each comparison is trained in one
of them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ctip.linkage import levels as bytewise
from ctip.linkage.features import ARRAY_COLUMNS

ENGINES = ("duckdb", "spark")
SEED = 7
U_MAX_PAIRS = 2e6
# Records the model is trained on at most: a seeded random sample above it. The share of
# matching pairs, u and m are properties of the population, which a uniform sample of
# 200,000 records estimates as well as the whole; EM on all of 1,000,000 records iterated
# over the 9 million pairs blocked on a date of birth.
TRAIN_MAX = 200_000
# Records above which blocking adds a birth-year band to the name rules.
BIG_RUN = 200_000

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _quiet() -> None:
    for name in ("splink", "py4j", "pyspark"):
        logging.getLogger(name).setLevel(logging.ERROR)


# ----------------------------------------------------------------------------- engines


@dataclass
class Engine:
    """A Splink database API and the private work directory it spills to."""

    kind: str
    db_api: Any
    work_dir: Path
    spark: Any = None

    def table(self, df: pd.DataFrame) -> Any:
        """The engine's own table of a DataFrame (a Spark DataFrame on Spark)."""
        if self.kind == "spark":
            return self.spark.createDataFrame(_spark_ready(df), schema=_spark_schema(df))
        return df

    def register(self, df: pd.DataFrame, name: str) -> Any:
        return self.db_api.register(self.table(df), dataset_display_name=name)


def _spark_ready(df: pd.DataFrame) -> list[tuple[Any, ...]]:
    out = []
    for row in df.itertuples(index=False):
        out.append(tuple(None if _is_na(v) else _plain(v) for v in row))
    return out


def _is_na(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value


def _spark_schema(df: pd.DataFrame) -> Any:
    from pyspark.sql import types as T

    fields = []
    for name in df.columns:
        dtype = df[name].dtype
        if name in ARRAY_COLUMNS:
            kind: Any = T.ArrayType(T.StringType())
        elif pd.api.types.is_bool_dtype(dtype):
            kind = T.BooleanType()
        elif pd.api.types.is_integer_dtype(dtype):
            kind = T.LongType()
        elif pd.api.types.is_float_dtype(dtype):
            kind = T.DoubleType()
        else:
            kind = T.StringType()
        fields.append(T.StructField(name, kind, True))
    return T.StructType(fields)


@contextmanager
def open_engine(
    kind: str = "duckdb", *, data_dir: Path, spark_master: str = "local[2]"
) -> Iterator[Engine]:
    """An in-memory engine whose spill files live in a private directory under the data
    directory, removed afterwards (decrypted names never stay on disk)."""
    if kind not in ENGINES:
        raise ValueError(f"unknown engine {kind!r}")
    _quiet()
    root = data_dir / "linkage-tmp"
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=root))
    work.chmod(0o700)
    engine: Engine | None = None
    try:
        engine = _duckdb(work) if kind == "duckdb" else _spark(work, spark_master)
        yield engine
    finally:
        if engine is not None and engine.spark is not None:
            engine.spark.stop()
        elif engine is not None:
            engine.db_api._con.close()
        shutil.rmtree(work, ignore_errors=True)


def _duckdb(work: Path) -> Engine:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute(f"SET temp_directory = '{work.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return Engine("duckdb", DuckDBAPI(connection=con), work)


def _spark(work: Path, master: str) -> Engine:
    from pyspark.sql import SparkSession
    from splink import SparkAPI
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(master)
        .appName("ctip-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.local.dir", str(work))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(work / "checkpoints"))
    api = SparkAPI(spark_session=spark, break_lineage_method="parquet")
    return Engine("spark", api, work, spark)


# ------------------------------------------------------------------------- comparisons


def present_columns(df: pd.DataFrame) -> set[str]:
    """Canonical columns holding at least one value."""
    return {c for c in df.columns if df[c].notna().any()}


def _name_comparison(col: str, other: str, label: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    key, other_key = f"{col}_key", f"{other}_key"
    return cl.CustomComparison(
        output_column_name=label,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col).configure(
                tf_adjustment_column=col, label_for_charts="same spelling"
            ),
            cll.ColumnsReversedLevel(col, other).configure(
                label_for_charts="same spelling, given and family name swapped"
            ),
            cll.ExactMatchLevel(key).configure(
                tf_adjustment_column=key, label_for_charts="same sound (romanisation variant)"
            ),
            cll.ColumnsReversedLevel(key, other_key).configure(
                label_for_charts="same sound, given and family name swapped"
            ),
            bytewise.JaroWinklerLevel(col, 0.92).configure(label_for_charts="close spelling"),
            bytewise.JaroWinklerLevel(col, 0.8).configure(label_for_charts="similar spelling"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def comparisons(present: set[str]) -> list[Any]:
    """The comparisons a model has, given the canonical columns holding data."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    out: list[Any] = []
    if "first" in present:
        out.append(_name_comparison("first", "last", "given_name"))
    if "last" in present:
        out.append(_name_comparison("last", "first", "family_name"))
    if "km" in present:
        out.append(
            cl.CustomComparison(
                output_column_name="khmer_name",
                comparison_description="Khmer-script name",
                comparison_levels=[
                    # Only where a Latin name is missing on one side: otherwise the Latin
                    # comparisons already count the name, and counting it twice would
                    # make namesakes look like one person.
                    cll.CustomLevel(
                        "(has_latin_l AND has_latin_r) OR name_skel_l IS NULL "
                        "OR name_skel_r IS NULL OR (km_l IS NULL AND km_r IS NULL "
                        "AND NOT (has_latin_l OR has_latin_r))"
                    ).configure(is_null_level=True, label_for_charts="not compared"),
                    cll.ExactMatchLevel("km").configure(
                        tf_adjustment_column="km", label_for_charts="same Khmer spelling"
                    ),
                    cll.CustomLevel(
                        "name_skel_l = name_skel_r",
                        label_for_charts="same consonants (Khmer script or romanised)",
                    ),
                    cll.ElseLevel().configure(label_for_charts="different"),
                ],
            )
        )
    if "alias_list" in present:
        out.append(_array("alias_list", "alias", "an alias in common"))
    if "script_list" in present:
        out.append(
            cl.CustomComparison(
                output_column_name="name_in_script",
                comparison_description="a name in its own script (Chinese characters)",
                comparison_levels=[
                    cll.CustomLevel(
                        "(has_latin_l AND has_latin_r) OR script_list_l IS NULL "
                        "OR script_list_r IS NULL"
                    ).configure(is_null_level=True, label_for_charts="not compared"),
                    cll.ArrayIntersectLevel("script_list", 1).configure(
                        label_for_charts="same name in its own script"
                    ),
                    cll.ElseLevel().configure(label_for_charts="different"),
                ],
            )
        )
    if "birth_year" in present:
        levels: list[Any] = [cll.NullLevel("birth_year")]
        if "dob" in present:
            levels += [
                cll.ExactMatchLevel("dob").configure(label_for_charts="same date of birth"),
                bytewise.LevenshteinLevel("dob", 1).configure(
                    label_for_charts="date one digit off"
                ),
                bytewise.LevenshteinLevel("dob", 2).configure(
                    label_for_charts="date two digits off"
                ),
            ]
        levels += [
            cll.AbsoluteDifferenceLevel("birth_year", 1).configure(
                label_for_charts="birth year within 1"
            ),
            cll.AbsoluteDifferenceLevel("birth_year", 3).configure(
                label_for_charts="birth year within 3 (estimated age)"
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ]
        out.append(
            cl.CustomComparison(
                output_column_name="birth",
                comparison_description="date of birth or estimated age",
                comparison_levels=levels,
            )
        )
    if "sex" in present:
        out.append(cl.ExactMatch("sex"))
    if "nationality_list" in present:
        out.append(_array("nationality_list", "nationality", "a nationality in common"))
    if "province_list" in present:
        out.append(_array("province_list", "province", "a province in common"))
    if "city" in present:
        out.append(bytewise.JaroWinklerAtThresholds("city", [0.95, 0.85]))
    if "postcode" in present:
        out.append(bytewise.LevenshteinAtThresholds("postcode", [1]))
    if "address" in present:
        out.append(bytewise.JaroWinklerAtThresholds("address", [0.95, 0.8]))
    if "street_number" in present:
        out.append(bytewise.LevenshteinAtThresholds("street_number", [1]))
    if "ident_list" in present:
        out.append(_array("ident_list", "identifier", "an identifier in common"))
    return out


def _array(col: str, name: str, label: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=name,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ArrayIntersectLevel(col, 1).configure(label_for_charts=label),
            cll.ElseLevel().configure(label_for_charts="none in common"),
        ],
    )


def blocking_rules(present: set[str], n_records: int) -> list[Any]:
    """Candidate pairs: same name sounds (either order), same identifier, same date of
    birth, same name skeleton (cross-script), same address; with a birth-year band
    added to name rules on large data so blocks stay small."""
    from splink import block_on

    big = n_records > BIG_RUN and "birth_year" in present
    rules: list[Any] = []
    if {"first", "last"} <= present:
        if big:
            rules += [
                block_on("first_key", "last_key", "block_year4a"),
                block_on("first_key", "last_key", "block_year4b"),
                "l.first_key = r.last_key AND l.last_key = r.first_key "
                "AND l.block_year4a = r.block_year4a",
                # A record without a birth year meets its exact namesakes only, and only
                # under a rare full name (``mark_rare_names``): on name keys alone it met
                # every same-sounding record of any age (38 million pairs of 70 million at
                # 1,000,000 records), and every exact namesake still made 9 million of 36
                # million, pairs that a common name alone cannot carry over the threshold.
                "l.rare_name = r.rare_name AND (l.birth_year IS NULL OR r.birth_year IS NULL)",
            ]
        else:
            rules += [
                block_on("first_key", "last_key"),
                "l.first_key = r.last_key AND l.last_key = r.first_key",
            ]
    elif "first" in present:
        rules.append(block_on("first_key"))
    if "dob" in present:
        rules.append(block_on("dob", "substr(name_skel, 1, 1)") if big else block_on("dob"))
    if ("km" in present or "alias_list" in present) and big:
        # Only across scripts (one side without a Latin name): two Latin names are already
        # blocked on their keys.
        rules.append(
            "l.name_skel = r.name_skel AND l.block_year4a = r.block_year4a "
            "AND NOT (l.has_latin AND r.has_latin)"
        )
    elif "km" in present or "alias_list" in present:
        rules.append(block_on("name_skel"))
    if "ident_list" in present:
        rules.append(block_on("ident_list", arrays_to_explode=["ident_list"]))
    if "postcode" in present and "street_number" in present:
        rules.append(block_on("postcode", "street_number"))
    if "address" in present:
        rules.append(
            block_on("address", "city") if "city" in present and big else block_on("address")
        )
    if "postcode" in present and "city" in present:
        rules.append(block_on("postcode", "city"))
    if "alias_list" in present:
        rules.append(block_on("alias_list", arrays_to_explode=["alias_list"]))
    if "script_list" in present:
        rules.append(block_on("script_list", arrays_to_explode=["script_list"]))
    return rules


# A full name held by at most this many records of a large run is "rare": its holders are
# few enough that the name can be the evidence, so those without a birth year are paired
# on it (at most 190 pairs per name). A common name (Sok Dara) held by hundreds is not.
RARE_NAME_MAX = 20


def mark_rare_names(frames: list[pd.DataFrame], n_records: int) -> None:
    """Set ``rare_name`` (given and family name as written) on the records of a large run
    whose full name at most ``RARE_NAME_MAX`` records of all ``frames`` share; small runs
    leave it empty (their blocking does not read it)."""
    if n_records <= BIG_RUN:
        return
    full = [f["first"].fillna("") + "\x1f" + f["last"].fillna("") for f in frames]
    counts = pd.concat(full, ignore_index=True).value_counts()
    for frame, names in zip(frames, full, strict=True):
        named = frame["first"].notna() & frame["last"].notna()
        rare = names.map(counts).le(RARE_NAME_MAX) & named
        frame["rare_name"] = names.where(rare, None)


def settings(present: set[str], n_records: int, link_type: str = "dedupe_only") -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="unique_id",
        comparisons=comparisons(present),
        blocking_rules_to_generate_predictions=blocking_rules(present, n_records),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


# ----------------------------------------------------------------------------- training


def u_pairs(n_records: int) -> float:
    """Pairs sampled to estimate u: 30 per record, at least 200,000, at most 2 million."""
    return float(min(U_MAX_PAIRS, max(2e5, 30 * n_records)))


def train(
    linker: Any, present: set[str], progress: Progress | None = None, n_records: int = 0
) -> None:
    """Unsupervised training: lambda from deterministic rules, u by sampling, m by EM."""
    from splink import block_on

    say = progress or (lambda _msg: None)
    deterministic: list[Any] = []
    if "ident_list" in present:
        deterministic.append(block_on("ident_list", arrays_to_explode=["ident_list"]))
    if {"first", "last", "dob"} <= present:
        deterministic.append(block_on("first", "last", "dob"))
    elif {"first", "last", "birth_year"} <= present:
        deterministic.append(block_on("first", "last", "birth_year"))
    if deterministic:
        say("estimating the share of matching pairs")
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.6)
    prior = linker._settings_obj._probability_two_random_records_match
    if not prior or not 0.0 < prior < 1.0:  # no deterministic match in a small list
        linker._settings_obj._probability_two_random_records_match = 1e-4
    say("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs(n_records), seed=SEED)
    # Names are common: pairs blocked on a name are mostly different people with the same
    # name, and EM would learn "same name" instead of "same person". So names are trained
    # on pairs blocked on date of birth, and everything else on pairs blocked on a strong
    # non-name field (an identifier, an address), names only as a last resort.
    sessions: list[Any] = []
    if "dob" in present:
        sessions.append(block_on("dob"))
    if "ident_list" in present:
        sessions.append(block_on("ident_key"))  # EM cannot explode arrays: first identifier
    elif {"postcode", "street_number"} <= present:
        sessions.append(block_on("postcode", "street_number"))
    elif "address" in present:
        sessions.append(block_on("address"))
    elif {"first", "last"} <= present:
        sessions.append(block_on("first_key", "last_key"))
    if not sessions and "birth_year" in present:
        sessions.append(block_on("birth_year"))
    for rule in sessions:
        say("expectation maximisation")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except (ValueError, ZeroDivisionError) as exc:
            # A small list can give EM too few pairs to converge: its defaults stand.
            logger.info("EM session skipped: %s", exc)


# Which canonical columns each comparison reads (to rebuild a stored model's comparisons).
COMPARISON_COLUMNS = {
    "given_name": ("first",),
    "family_name": ("last",),
    "khmer_name": ("km",),
    "alias": ("alias_list",),
    "name_in_script": ("script_list",),
    "birth": ("birth_year",),
    "sex": ("sex",),
    "nationality": ("nationality_list",),
    "province": ("province_list",),
    "city": ("city",),
    "postcode": ("postcode",),
    "address": ("address",),
    "street_number": ("street_number",),
    "identifier": ("ident_list",),
}


def present_of_model(model: dict[str, Any]) -> set[str]:
    """The canonical columns a stored model was built for (so the same comparisons are
    built again, in the order they were trained)."""
    present: set[str] = set()
    for comp in model.get("comparisons", []):
        name = comp.get("output_column_name")
        present |= set(COMPARISON_COLUMNS.get(name, ()))
        if name == "birth" and any(
            lv.get("label_for_charts") == "same date of birth"
            for lv in comp.get("comparison_levels", [])
        ):
            present.add("dob")
    return present


def load_parameters(linker: Any, model: dict[str, Any]) -> None:
    """Put a stored model's trained parameters into a linker built from the comparisons.

    A saved Splink model holds SQL in the dialect it was trained on; rebuilding the
    comparisons for the engine at hand and copying the numbers keeps one definition for
    every engine (a DuckDB-trained model runs on Spark and gives the same scores)."""
    settings_obj = linker._settings_obj
    settings_obj._probability_two_random_records_match = model[
        "probability_two_random_records_match"
    ]
    stored = {c.get("output_column_name"): c for c in model.get("comparisons", [])}
    for comparison in settings_obj.comparisons:
        source = stored.get(comparison.output_column_name)
        if source is None:
            raise ValueError(f"the stored model has no comparison {comparison.output_column_name}")
        mine = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
        theirs = [lv for lv in source["comparison_levels"] if not lv.get("is_null_level")]
        if len(mine) != len(theirs):
            raise ValueError(f"comparison {comparison.output_column_name} changed since training")
        for level, saved in zip(mine, theirs, strict=True):
            if saved.get("m_probability") is not None:
                level.m_probability = saved["m_probability"]
            if saved.get("u_probability") is not None:
                level.u_probability = saved["u_probability"]


def model_version(model: dict[str, Any]) -> str:
    """A short content hash of the trained model (same parameters, same version)."""
    body = json.dumps(_strip_uid(model), sort_keys=True, default=str)
    return "m-" + hashlib.sha256(body.encode()).hexdigest()[:12]


def _strip_uid(model: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in model.items() if k not in ("linker_uid",)}


def trained_model(linker: Any) -> dict[str, Any]:
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return model


# ---------------------------------------------------------------------------- prediction


@dataclass
class Result:
    """Scored pairs above the floor and clusters at the threshold."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, match_weight, evidence
    clusters: pd.DataFrame  # unique_id, cluster_id
    model: dict[str, Any]
    version: str
    extra: dict[str, Any] = field(default_factory=dict)


def level_weights(model: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """comparison output name → (match weight, label) of each non-null level."""
    out: dict[str, list[tuple[float, str]]] = {}
    for comp in model.get("comparisons", []):
        levels: list[tuple[float, str]] = []
        for lv in comp.get("comparison_levels", []):
            if lv.get("is_null_level"):
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            if m and u:
                levels.append((math.log2(m / u), lv.get("label_for_charts") or ""))
        out[comp.get("output_column_name")] = levels
    return out


def evidence_of(row: dict[str, Any], weights: dict[str, list[tuple[float, str]]]) -> dict[str, Any]:
    """{comparison: [level label, match weight]} for one scored pair (null levels left out).

    Splink 5 reports each comparison's match weight (``mw_<name>``) and its term-frequency
    adjustment; the level is the one whose trained weight it is."""
    out: dict[str, Any] = {}
    for name, levels in weights.items():
        mw = row.get(f"mw_{name}")
        if mw is None or _is_na(mw) or not levels:
            continue
        mw = float(mw)
        if mw == 0.0:
            continue  # null level: no evidence either way
        label = min(levels, key=lambda lv: abs(lv[0] - mw))[1]
        tf = row.get(f"mw_tf_adj_{name}")
        weight = mw + (float(tf) if tf is not None and not _is_na(tf) else 0.0)
        out[name] = [label, round(weight, 2)]
    return out


M_FLOOR = 0.002


def temper(model: dict[str, Any]) -> dict[str, Any]:
    """No level is impossible for a true match: m is floored, so one contradicting field
    (a changed nationality, a wrong sex) weighs at most about -9, not -100."""
    for comp in model.get("comparisons", []):
        for lv in comp.get("comparison_levels", []):
            m = lv.get("m_probability")
            if m is not None and not lv.get("is_null_level"):
                lv["m_probability"] = max(float(m), M_FLOOR)
    return model


def predict_and_cluster(
    engine: Engine,
    df: pd.DataFrame,
    *,
    floor: float,
    threshold: float,
    model: dict[str, Any] | None = None,
    confirmed: list[tuple[Any, Any]] = (),  # type: ignore[assignment]
    rejected: set[tuple[Any, Any]] | None = None,
    progress: Progress | None = None,
    right: pd.DataFrame | None = None,
) -> Result:
    """Train (unless ``model`` is given), predict pairs above ``floor``, cluster at
    ``threshold`` with confirmed pairs joined and rejected pairs cut."""
    from splink import Linker
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    say = progress or (lambda _msg: None)
    rejected = rejected or set()
    both = df if right is None else pd.concat([df, right], ignore_index=True)
    present = present_columns(both)
    if len(both) > BIG_RUN:
        df = df.copy()
        right = None if right is None else right.copy()
        mark_rare_names([df] if right is None else [df, right], len(both))
    if right is None:
        tables = engine.register(df, "records")
        link_type = "dedupe_only"
    else:
        tables = [engine.register(df, "left_records"), engine.register(right, "right_records")]
        link_type = "link_only"
    if model is not None:
        present = present_of_model(model)
    linker = Linker(tables, settings(present, len(both), link_type), log_level=None)
    if model is None:
        if engine.kind == "duckdb" and len(both) <= TRAIN_MAX:
            train(linker, present, say, len(both))
            trained = temper(trained_model(linker))
        else:
            trained = _train_in_process(
                training_sample(df) if right is None else df,
                right,
                present,
                link_type,
                engine.work_dir,
                say,
            )
    else:
        trained = model
    load_parameters(linker, trained)
    version = model_version(trained)
    say("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=floor)
    labels = level_weights(trained)
    pairs = _pairs_frame(predictions.as_pandas_dataframe(), labels, right is not None)
    pairs = _apply_pair_decisions(pairs, confirmed, rejected)
    say("clustering")
    nodes = both[["unique_id"]].copy()
    edges = pairs[pairs["match_probability"] >= threshold][["unique_id_l", "unique_id_r"]]
    clusters = _clusters(engine, nodes, edges, cluster_pairwise_predictions_at_threshold)
    return Result(pairs, clusters, trained, version)


def training_sample(df: pd.DataFrame) -> pd.DataFrame:
    """The records a deduplication is trained on: all of them up to ``TRAIN_MAX``, else a
    seeded uniform sample (the same data gives the same sample, so the same model)."""
    if len(df) <= TRAIN_MAX:
        return df
    return df.sample(n=TRAIN_MAX, random_state=SEED).sort_values("unique_id").reset_index(drop=True)


def _train_in_process(
    df: pd.DataFrame,
    right: pd.DataFrame | None,
    present: set[str],
    link_type: str,
    work_dir: Path,
    say: Progress,
) -> dict[str, Any]:
    """Training reads samples and fits in this process: it runs on an in-memory DuckDB
    whatever the prediction engine, so every engine scores with the same parameters."""
    from splink import Linker

    trainer = _duckdb(work_dir)
    try:
        if right is None:
            tables: Any = trainer.register(df, "records")
        else:
            tables = [
                trainer.register(df, "left_records"),
                trainer.register(right, "right_records"),
            ]
        n = len(df) + (0 if right is None else len(right))
        linker = Linker(tables, settings(present, n, link_type), log_level=None)
        train(linker, present, say, n)
        return temper(trained_model(linker))
    finally:
        trainer.db_api._con.close()


def _pairs_frame(
    raw: pd.DataFrame, labels: dict[str, list[tuple[float, str]]], link: bool
) -> pd.DataFrame:
    if raw.empty:
        return pd.DataFrame(
            columns=["unique_id_l", "unique_id_r", "match_probability", "match_weight", "evidence"]
        )
    records = raw.to_dict("records")
    evidence = [evidence_of(r, labels) for r in records]
    out = pd.DataFrame(
        {
            "unique_id_l": raw["unique_id_l"],
            "unique_id_r": raw["unique_id_r"],
            "match_probability": raw["match_probability"].astype(float),
            "match_weight": raw["match_weight"].astype(float),
            "evidence": evidence,
        }
    )
    if not link:  # dedupe: left id below right id
        swap = out["unique_id_l"] > out["unique_id_r"]
        out.loc[swap, ["unique_id_l", "unique_id_r"]] = out.loc[
            swap, ["unique_id_r", "unique_id_l"]
        ].to_numpy()
    return out.sort_values(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def _apply_pair_decisions(
    pairs: pd.DataFrame, confirmed: Any, rejected: set[tuple[Any, Any]]
) -> pd.DataFrame:
    if rejected:
        keys = list(zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True))
        pairs = pairs[[k not in rejected for k in keys]]
    known = set(zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True))
    extra = [
        {
            "unique_id_l": a,
            "unique_id_r": b,
            "match_probability": 1.0,
            "match_weight": 99.0,
            "evidence": {"analyst": ["confirmed", 99.0]},
        }
        for a, b in confirmed
        if (a, b) not in known
    ]
    if extra:
        pairs = pd.concat([pairs, pd.DataFrame(extra)], ignore_index=True)
    if confirmed:
        conf = set(confirmed)
        for i in pairs.index:
            key = (pairs.at[i, "unique_id_l"], pairs.at[i, "unique_id_r"])
            if key in conf and pairs.at[i, "match_probability"] < 1.0:
                model_p = float(pairs.at[i, "match_probability"])
                pairs.at[i, "evidence"] = {
                    **pairs.at[i, "evidence"],
                    "analyst": ["confirmed", 99.0, model_p],
                }
                pairs.at[i, "match_probability"] = 1.0
    return pairs.reset_index(drop=True)


def _clusters(
    engine: Engine, nodes: pd.DataFrame, edges: pd.DataFrame, cluster: Any
) -> pd.DataFrame:
    """Connected components (Splink's); the cluster id is the smallest member id."""
    if edges.empty:
        return pd.DataFrame({"unique_id": nodes["unique_id"], "cluster_id": nodes["unique_id"]})
    edges = edges.copy()
    edges["match_probability"] = 1.0
    kind = nodes["unique_id"].dtype
    edges = edges.astype({"unique_id_l": kind, "unique_id_r": kind})
    out = cluster(
        engine.table(nodes),
        engine.table(edges),
        engine.db_api,
        "unique_id",
        threshold_match_probability=0.5,
    )
    result = out.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    smallest = result.groupby("cluster_id")["unique_id"].transform("min")
    return (
        pd.DataFrame({"unique_id": result["unique_id"], "cluster_id": smallest})
        .sort_values("unique_id")
        .reset_index(drop=True)
    )
