"""Independent readers of newsloom's exports: pyarrow for the Parquet tables, pandas for the
GDELT TSV files (read as GDELT's own users read them: sep="\\t", header=None, the codebook's
column names). Exits non-zero with a message on the first mismatch.

usage: readers.py EXPECTED.json  (written by tests/independent_readers.rs)
"""

import csv
import json
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# GDELT 2.0 Event Codebook (GDELT-Event_Codebook-V2.0), in file order.
EVENT_COLUMNS = (
    "GlobalEventID Day MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()

# GDELT 2.0 Event Database documentation, the Mentions table.
MENTION_COLUMNS = (
    "GlobalEventID EventTimeDate MentionTimeDate MentionType MentionSourceName MentionIdentifier "
    "SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText Confidence "
    "MentionDocLen MentionDocTone MentionDocTranslationInfo Extras"
).split()


def fail(msg):
    print(f"readers.py: {msg}", file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def main():
    expected = json.load(open(sys.argv[1]))
    check(len(EVENT_COLUMNS) == 61 and len(MENTION_COLUMNS) == 16, "codebook lists")
    check(expected["event_columns"] == EVENT_COLUMNS, f"Events columns differ: {expected['event_columns']}")
    check(expected["mention_columns"] == MENTION_COLUMNS, "Mentions columns differ")

    # Parquet: row counts per table and Arrow types of the typed columns.
    for table, rows in expected["parquet_rows"].items():
        t = pq.read_table(f"{expected['parquet_dir']}/{table}.parquet")
        check(t.num_rows == rows, f"{table}: {t.num_rows} rows, store has {rows}")
        for column, type_name in expected["parquet_types"].get(table, {}).items():
            actual = str(t.schema.field(column).type)
            check(actual == type_name, f"{table}.{column}: {actual}, expected {type_name}")
    articles = pq.read_table(f"{expected['parquet_dir']}/articles.parquet").to_pandas()
    check(list(articles["id"]) == expected["article_ids"], f"article ids {list(articles['id'])}")
    check(str(articles["ingested_at"].dtype).startswith("datetime64"), f"ingested_at {articles['ingested_at'].dtype}")

    # GDELT TSV, as pandas users read it.
    def read(path, names):
        raw = open(path, encoding="utf-8").read().splitlines()
        widths = {len(line.split("\t")) for line in raw}
        check(widths <= {len(names)}, f"{path}: lines with {widths} fields, expected {len(names)}")
        return pd.read_csv(path, sep="\t", header=None, names=names, quoting=csv.QUOTE_NONE, dtype_backend="numpy_nullable")

    events = read(expected["events_file"], EVENT_COLUMNS)
    mentions = read(expected["mentions_file"], MENTION_COLUMNS)
    check(len(events) == expected["events_rows"], f"{len(events)} Events rows, expected {expected['events_rows']}")
    check(len(mentions) == expected["mentions_rows"], f"{len(mentions)} Mentions rows")
    for column in ["GlobalEventID", "Day", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions", "NumSources", "NumArticles", "DATEADDED"]:
        check(pd.api.types.is_integer_dtype(events[column]), f"Events {column}: {events[column].dtype}")
    for column in ["FractionDate", "GoldsteinScale"]:
        check(pd.api.types.is_float_dtype(events[column]), f"Events {column}: {events[column].dtype}")
    check(events["NumMentions"].sum() == expected["mentions_rows"], "NumMentions adds up to the Mentions rows")
    check(set(mentions["GlobalEventID"]) <= set(events["GlobalEventID"]), "every mention names an event")
    for column in ["GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen"]:
        check(pd.api.types.is_integer_dtype(mentions[column]), f"Mentions {column}: {mentions[column].dtype}")
    check(events["EventCode"].astype(str).str.len().min() >= 2, "event codes read as text or numbers")
    print(f"readers.py: ok ({len(events)} events, {len(mentions)} mentions, {len(expected['parquet_rows'])} parquet tables)")


main()
