"""What `newslens.duplicates.clusters` finds in a real Media Cloud export (titles only).

../shared/newsdb/mediacloud/mediacloud_explorer_export_2020.csv is a legacy Explorer export
(367 stories, 342 distinct URLs) in which the same story appears under several outlets. It has no
article text, so `clusters` works on titles (2-word shingles, at least 4 per title). The file is
read here with pandas, mapping its columns to the corpus schema (stories_id -> id, media_name ->
outlet, publish_date -> published); it is not copied into the repository.

Printed: the clusters, how many of them are exact title matches and how many near-duplicate
titles, how they relate to shared URLs and to Media Cloud's own `ap_syndicated` flag, and whether
LSH candidates find exactly what checking every pair finds.

    .venv/bin/python bench/eval_duplicates.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from newslens.duplicates import clusters, copy_matrix, summary

EXPORT = Path(__file__).resolve().parents[1] / ".." / "shared" / "newsdb" / "mediacloud" / "mediacloud_explorer_export_2020.csv"


def _key(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.casefold()))


def main() -> int:
    if not EXPORT.is_file():
        print(f"skipped: {EXPORT} not found (the shared evaluation data is not here)")
        return 0
    raw = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    df = pd.DataFrame({
        "id": raw["stories_id"], "title": raw["title"], "text": "", "outlet": raw["media_name"],
        "published": pd.to_datetime(raw["publish_date"], format="ISO8601"), "reprinted_from": None,
    })  # fmt: skip
    found = clusters(df)
    a = found.attrs
    print(f"{EXPORT.name}: {len(raw)} rows, {raw['url'].nunique()} distinct URLs, {raw['title'].nunique()} distinct "
          f"titles, {raw['media_name'].nunique()} media names")  # fmt: skip
    print(f"clusters(df): field {a['field']} ({a['shingle_size']}-word shingles, at least {a['min_shingles']}), "
          f"threshold {a['threshold']}: {a['clusters']} clusters of {len(found)} articles "
          f"({len(found) - a['clusters']} copies); {a['skipped_short']} titles too short, "
          f"{a['skipped_boilerplate']} boilerplate-only; {a['candidate_pairs']} LSH candidate pairs, "
          f"{a['verified_pairs']} verified")  # fmt: skip
    exact = clusters(df, candidates="all")
    same = found.equals(exact)
    print(f"every pair checked exactly gives {'the same clusters' if same else 'DIFFERENT clusters'} "
          f"({exact.attrs['clusters']} clusters)")

    rows = found.merge(df[["id", "title", "outlet"]], on="id").merge(
        raw[["stories_id", "url", "ap_syndicated"]].rename(columns={"stories_id": "id"}), on="id")
    per = rows.groupby("cluster").agg(titles=("title", lambda t: t.map(_key).nunique()),
                                      raw_titles=("title", "nunique"), urls=("url", "nunique"),
                                      outlets=("outlet", "nunique"), n=("id", "size"))  # fmt: skip
    identical = int((per["raw_titles"] == 1).sum())
    case_punct = int(((per["raw_titles"] > 1) & (per["titles"] == 1)).sum())
    worded = int((per["titles"] > 1).sum())
    print(f"  {identical} clusters with one identical title, {case_punct} differing only in case, quotes or "
          f"punctuation, {worded} with different wording")  # fmt: skip
    print(f"  {int((per['urls'] == 1).sum())} clusters share one URL (the same story under two feeds of one "
          f"publisher), {int((per['urls'] > 1).sum())} span different URLs")  # fmt: skip
    dup_url_rows = int(raw["url"].duplicated(keep=False).sum())
    in_clusters = int(raw.loc[raw["url"].duplicated(keep=False), "stories_id"].isin(found["id"]).sum())
    print(f"  rows whose URL another row shares: {dup_url_rows}, of them in a cluster: {in_clusters}")
    title_groups = raw.assign(key=raw["title"].map(_key)).groupby("key").filter(lambda g: len(g) > 1)
    print(f"  rows sharing a normalised title with another row: {len(title_groups)}, of them in a cluster: "
          f"{int(title_groups['stories_id'].isin(found['id']).sum())}")
    flagged = raw["ap_syndicated"].eq("True")
    print(f"  Media Cloud ap_syndicated=True: {int(flagged.sum())} rows, {int(raw.loc[flagged, 'stories_id'].isin(found['id']).sum())} "
          "of them in a cluster")  # fmt: skip
    print("\nclusters with more than one title (every member shown, canonical copy first):")
    for cluster, group in rows.groupby("cluster", sort=True):
        if group["title"].nunique() > 1:
            for _, r in group.iterrows():
                mark = "*" if r["canonical"] else " "
                print(f"  {mark} {r['similarity']:.2f} {r['containment']:.2f} {r['outlet'][:22]:<22} {r['title'][:90]}")
            print()
    table = summary(df, found)
    print(f"largest clusters:\n{table.head(5)[['articles', 'outlets', 'outlet', 'title']].to_string(index=False)}")
    matrix = copy_matrix(df, found)
    top = matrix.sort_values("n", ascending=False, kind="stable").head(5)
    print(f"\nmost frequent (source -> copying outlet) pairs:\n{top.to_string(index=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
