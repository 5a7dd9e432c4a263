"""Bad input to newslens.duplicates.clusters: each case gives a sensible, tested result, no exception."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens.corpus import empty_corpus
from newslens.duplicates import COLUMNS, clusters


def _story(tag: str, n: int = 60) -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def _frame(texts, **columns):
    n = len(texts)
    base = {"id": [f"{i:016x}" for i in range(n)], "title": [""] * n, "text": texts,
            "outlet": [f"Outlet {i % 7}" for i in range(n)], "published": pd.to_datetime(["2024-09-01"] * n),
            "reprinted_from": [None] * n}  # fmt: skip
    base.update(columns)
    return pd.DataFrame(base)


def _check_shape(found):
    assert list(found.columns) == list(COLUMNS)
    assert found.index.equals(pd.RangeIndex(len(found)))


def test_zero_articles():
    found = clusters(empty_corpus())
    _check_shape(found)
    assert found.empty
    assert found.attrs["articles"] == 0 and found.attrs["clusters"] == 0
    assert found.dtypes.astype(str).tolist() == ["str", "str", "bool", "float64", "float64", "str"]


def test_one_article():
    found = clusters(_frame([_story("a")]))
    _check_shape(found)
    assert found.empty and found.attrs["articles"] == 1
    assert (found.attrs["skipped_short"], found.attrs["skipped_boilerplate"]) == (0, 0)


def test_empty_bodies_are_skipped_and_counted_and_the_rest_still_clusters():
    texts = ["", None, "   ", "\n\n", _story("s"), _story("s")]
    found = clusters(_frame(texts))
    assert found["id"].tolist() == ["0000000000000004", "0000000000000005"]
    assert found.attrs["skipped_short"] == 4 and found.attrs["field"] == "text"


def test_all_bodies_empty_and_no_titles():
    found = clusters(_frame(["", None, ""]))
    assert found.empty and found.attrs["field"] == "title" and found.attrs["skipped_short"] == 3


def test_subscribe_to_our_newsletter_across_unrelated_articles():
    plug = "Subscribe to our newsletter"
    texts = [_story(f"topic{i}x") + "\n\n" + plug for i in range(60)] + [plug] * 5
    df = _frame(texts, outlet=["Daily", "Courier"] * 32 + ["Daily"], title=[f"T{i}" for i in range(65)])
    found = clusters(df)
    assert found.empty  # no two unrelated articles are linked by the plug
    assert found.attrs["boilerplate_lines"] == 1  # in 30+ articles of each outlet: recognised
    assert found.attrs["skipped_short"] == 5  # the plug alone is too short to say anything
    # in a handful of articles it is not boilerplate, and still links nothing
    few = clusters(df.iloc[[0, 1, 2, 3, 60]])
    assert few.empty and few.attrs["boilerplate_lines"] == 0


def test_one_article_repeated_a_thousand_times():
    n = 1000
    df = _frame([_story("wire")] * n, outlet=["Daily"] * n, title=["Same title"] * n,
                published=pd.to_datetime(["2024-09-02"] * (n - 1) + ["2024-09-01"]))  # fmt: skip
    df = pd.concat([df, _frame([_story("other")], id=["f" * 16])], ignore_index=True)
    found = clusters(df)
    assert found.attrs["clusters"] == 1 and len(found) == n
    assert found.attrs["boilerplate_lines"] == 0  # verbatim repeats count once: not boilerplate
    canonical = found.loc[found["canonical"], "id"].tolist()
    assert canonical == [df["id"].iloc[n - 1]] == found["cluster"].unique().tolist()  # the earliest
    assert (found["similarity"] == 1.0).all() and (found["containment"] == 1.0).all()


def test_cyrillic_copies_cluster_and_unrelated_cyrillic_does_not():
    story = ("Москва заявила, что новые поставки ракет дальнего действия Украине станут прямым участием "
             "НАТО в конфликте и потребуют ответа, сообщил представитель Кремля журналистам в понедельник "
             "вечером после встречи с министрами обороны союзников. По его словам, решение западных стран "
             "не изменит положение на фронте, но приведёт к новой эскалации. В Брюсселе эти заявления "
             "назвали попыткой запугать союзников и пообещали продолжить помощь Киеву.")  # fmt: skip
    copy = "(Reuters) - " + story.replace("понедельник", "вторник")
    other = ("Правительство обсудило бюджет на следующий год рост пенсий и зарплат учителей а также "
             "новые меры поддержки малого бизнеса в регионах страны и снижение налогов для семей с детьми")
    found = clusters(_frame([story, copy, other]))
    assert found["id"].tolist() == ["0000000000000000", "0000000000000001"]
    assert found["cue"].tolist()[1] == "(Reuters)"


def test_chinese_without_spaces_is_shingled_by_character():
    story = ("中国外交部发言人在例行记者会上表示美国应当停止向台湾出售武器并且尊重中方的核心利益"
             "双方应通过对话解决分歧维护地区的和平与稳定")
    copy = story[:-6] + "。来源：新华社"  # trimmed tail, a source line added
    other = "上海证券交易所今天公布的数据显示科技板块的成交量连续第三天上升投资者对新能源汽车行业保持乐观"
    found = clusters(_frame([story, copy, other]))
    assert sorted(found["id"]) == ["0000000000000000", "0000000000000001"]
    assert found.loc[found["id"] == "0000000000000001", "containment"].iloc[0] >= 0.8


def test_columns_other_than_id_and_text_are_optional():
    df = pd.DataFrame({"id": ["a", "b"], "text": [_story("s"), _story("s")]})
    found = clusters(df)
    assert found["id"].tolist() == ["a", "b"] and found["canonical"].tolist() == [True, False]


def test_object_columns_with_missing_values():
    df = _frame([_story("s"), float("nan"), _story("s")]).astype({"text": object})
    found = clusters(df)
    assert len(found) == 2 and found.attrs["skipped_short"] == 1


def test_missing_id_column_is_a_clear_error():
    with pytest.raises(ValueError, match="no 'id' column"):
        clusters(pd.DataFrame({"text": ["a"]}))
