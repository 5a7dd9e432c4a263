"""LexisNexis TXT and HTML exports (newslens.readers.lexisnexis), on hand-written and real exports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from amcat_oracle import compare
from newslens.config import FileSettings
from newslens.readers import lexisnexis
from shared_data import newsdb

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SETTINGS = FileSettings()


def codes(result):
    return sorted(((p.record, p.code) for p in result.problems), key=lambda x: (x[0] or 0, x[1]))


def test_english_german_export_fields_title_and_body():
    result = lexisnexis.read_txt(FIXTURES / "ln_export.txt", SETTINGS)
    first, second, third = result.articles
    assert (first.title, first.extra["subtitle"]) == ("Allies weigh long-range strikes",
                                                      "Officials split over Putin's red lines")
    assert (first.outlet, first.published, first.author) == ("The Eastern Courier", dt.date(2024, 9, 17), "Jane Doe")
    assert first.extra["edition"] == "Late Edition" and first.extra["section"] == "WORLD; Pg. 4"
    assert first.extra["words"] == 118 and first.extra["dateline"] == "KYIV"
    assert first.extra["load-date"] == "September 18, 2024" and first.extra["language"] == "ENGLISH"
    assert first.extra["copyright"] == "Copyright 2024 Eastern Courier Ltd. All Rights Reserved"
    # "WASHINGTON:" at the edge of the body is body text; wrapped lines are joined
    assert first.text == ("WASHINGTON: officials said on Tuesday that a decision on long-range strikes was "
                          "close.\n\nMinisters met again in the evening.")
    assert [a.source_id for a in result.articles] == ["1", "2", "3"]
    # German labels map to the same keys
    assert (third.author, third.published, third.extra["section"], third.extra["words"]) == (
        "Max Muster", dt.date(2024, 9, 17), "POLITIK; S. 2", 250)
    assert third.extra["load-date"] == "18. September 2024" and third.extra["language"] == "GERMAN; DEUTSCH"
    assert second.text == "" and second.title == "A headline without a body"


def test_unknown_label_kept_and_reported_no_body_warned():
    result = lexisnexis.read_txt(FIXTURES / "ln_export.txt", SETTINGS)
    assert result.articles[0].extra["newsdesk-code"] == "WX-12"
    assert codes(result) == [(1, "unknown-field"), (2, "no-text")]
    unknown = next(p for p in result.problems if p.code == "unknown-field")
    assert "NEWSDESK-CODE:" in unknown.message and "extra['newsdesk-code']" in unknown.message


def test_truncated_export_reports_both_counts():
    result = lexisnexis.read_txt(FIXTURES / "ln_truncated.txt", SETTINGS)
    assert len(result.articles) == 2
    assert result.articles[1].text == "The download stopped in the middle of this"
    mismatch = next(p for p in result.problems if p.code == "count-mismatch")
    assert "states 3 documents" in mismatch.message and "2 parsed" in mismatch.message
    assert (2, "truncated") in codes(result)


def test_windows_1252_export_decoded_with_warning():
    result = lexisnexis.read_txt(FIXTURES / "ln_cp1252.txt", SETTINGS)
    (art,) = result.articles
    assert art.title == "Große Sorge über »rote Linien«" and art.author == "Jürgen Weiß"
    assert art.text == "Die Bundesregierung äußerte sich zurückhaltend – über Marschflugkörper."
    assert art.published == dt.date(2024, 10, 7) and art.outlet == "Süddeutsche Zeitung"
    assert codes(result) == [(None, "encoding-fallback")]


def test_cover_only_and_empty_documents_are_error_rows():
    cover = lexisnexis.parse_txt("Download Request: Selected Items: 1-5\nTerms: nothing\n")
    assert cover.articles == [] and codes(cover) == [(None, "no-article")]
    only_copyright = lexisnexis.parse_txt(
        "        1 of 2 DOCUMENTS\n\n          Copyright 2009 Someone\n\n        2 of 2 DOCUMENTS\n\n"
        "          The Paper\n\n          May 2, 2011\n\nTitle\n\nBody.\n\nLANGUAGE: ENGLISH\n")
    assert [a.title for a in only_copyright.articles] == ["Title"]
    assert (1, "empty-document") in codes(only_copyright)
    assert "1 of 2: only copyright lines" in only_copyright.problems[0].message


def test_empty_highlight_label_takes_next_paragraph_and_body_labels():
    text = ("      1 of 1 DOCUMENT\n\n          Le Monde\n\n          27 mars 2003\n\nSECTION: Sports\n\n"
            "LONGUEUR: 876 mots\n\nTITRE: La guerre;\nsous-titre\n\nSIGNATURE: A. Auteur\n\nCHAPEAU:\n\n"
            "Le chapeau.\n\nARTICLE:\n\nLe texte.\n\nHIGHLIGHT:\n\nEn bref.\n\nLANGUE: FRENCH\n")
    (art,) = lexisnexis.parse_txt(text).articles
    assert (art.title, art.extra["subtitle"], art.author) == ("La guerre", "sous-titre", "A. Auteur")
    assert art.text == "Le chapeau.\n\nLe texte."
    assert art.extra["highlight"] == "En bref." and art.extra["words"] == 876
    assert art.published == dt.date(2003, 3, 27)


def test_html_export(tmp_path):
    page = tmp_path / "ln.html"
    page.write_text(
        "<HTML><HEAD><STYLE>.c0 { text-align: center; } .c5 { text-align: left; }</STYLE>"
        '<META DOCUMENTS="1"></HEAD><BODY><!-- <DOC NUMBER=1> -->'
        '<DIV CLASS="c0"><P>1 of 1 DOCUMENT</P></DIV><DIV CLASS="c0"><P>The Paper</P></DIV>'
        '<DIV CLASS="c0"><P>May 2, 2011 Monday, Late Edition</P></DIV>'
        '<DIV CLASS="c5"><P>Head;<BR>Sub</P></DIV><DIV CLASS="c5"><P>BYLINE: Ann Lee</P></DIV>'
        '<DIV CLASS="c5"><P>First.</P><P>Second&nbsp;one.</P></DIV>'
        '<DIV CLASS="c5"><P>LOAD-DATE: May 3, 2011</P></DIV><DIV CLASS="c0"><P>Copyright 2011 The Paper</P></DIV>'
        "</BODY></HTML>", encoding="utf-8")
    result = lexisnexis.read_html(page, SETTINGS)
    (art,) = result.articles
    assert (art.title, art.outlet, art.published, art.author) == ("Head", "The Paper", dt.date(2011, 5, 2), "Ann Lee")
    assert art.text == "First.\n\nSecond one." and art.extra["load-date"] == "May 3, 2011"
    assert result.problems == []


def test_real_sample_txt_counts():
    result = lexisnexis.read_txt(newsdb("lexisnexis/sample.TXT"), SETTINGS)
    assert len(result.articles) == 10  # "Selected Items: 1-10"
    assert [a.source_id for a in result.articles] == [str(n) for n in range(1, 11)]
    assert all(a.title and a.text and a.outlet and isinstance(a.published, dt.date) for a in result.articles)
    # the file's 8th separator says "8 of 383" (on purpose): reported, nothing lost
    assert codes(result) == [(None, "mixed-totals")] and "10, 383" in result.problems[0].message
    assert result.articles[2].extra["edition"] == "Edition 1; Scotland"


def test_real_single_document_export():
    result = lexisnexis.read_txt(newsdb("lexisnexis/amcat_test2.txt"), SETTINGS)
    (art,) = result.articles
    assert art.title == "INDIA NOT FOR SETTING ANY TIMEFRAME, SAYS SHARMA"
    assert art.published == dt.date(2008, 12, 30) and art.extra["words"] == 409
    assert result.problems == []


def test_real_html_exports():
    result = lexisnexis.read_html(newsdb("lexisnexis/lexisnexis_test_en.html"), SETTINGS)
    assert [a.title for a in result.articles] == ["Heading One", "First part"]
    assert result.articles[1].extra["correction"] == "Some correction."
    assert codes(result) == [(None, "count-mismatch")]  # <META DOCUMENTS="146">, 2 in the file
    broken = lexisnexis.read_html(newsdb("lexisnexis/lexisnexis_test_copyright_error.html"), SETTINGS)
    assert len(broken.articles) == 1 and "4 | HKBC | Hong Kong" in broken.articles[0].text
    assert (2, "empty-document") in codes(broken) and "We are sorry" in str(broken.problems)


# AmCAT's expected parse; every field where we differ, and why (read in the exports by eye)
EXPLAINED = {
    (6, "title"): "no headline in the export; AmCAT writes the placeholder 'No title found!'",
    (9, "title"): "no headline in the export; AmCAT writes the placeholder 'No title found!'",
    (7, "text"): "no body in the export; AmCAT uses the GRAPHIC caption as text, we keep it in extra.graphic",
    (8, "text"): "AmCAT's text starts with the HIGHLIGHT field (no-break space after its colon); ours is in extra",
    (10, "date"): "'January 2009' names no day; AmCAT invents the 1st, we leave it empty (bad-date, raw kept)",
    (10, "text"): "AmCAT drops the indented 'Company Monitor' line that opens the body; we keep it",
    (10, "medium"): "the copyright line comes first; AmCAT takes its holder, we take the publication line",
    (13, "text"): "unlabelled byline 'Sylvia Maier' and ORTSZEILE: ours are author and extra.dateline",
    (15, "date"): "no date line; AmCAT falls back on LOAD-DATE, which is not the publication date",
    (19, "title"): "AmCAT keeps this TITRE whole; we split at ';' as for every headline (extra.subtitle)",
    (19, "text"): "AmCAT keeps the empty 'ARTICLE:' marker in the text; we drop it",
    (20, "medium"): "the copyright line comes first; AmCAT takes its holder, we take the publication line",
    (20, "date"): "'Summer, 2008' names no day; AmCAT invents 1 June, we leave it empty",
    (21, "text"): "AmCAT's text ends with the LANGUAGE field; we read it as a closing field",
    (23, "url"): "the URL is wrapped over two lines; AmCAT keeps the line break inside it, we join it",
    (23, "text"): "AmCAT drops the site's 'Bewaar lees artikel' prefix; we keep the text as exported",
    (24, "text"): "AmCAT's text ends with the GRAPHIC and LANGUAGE fields; we read them as closing fields",
}


def test_amcat_oracle_fields_equal_except_explained():
    result = lexisnexis.read_txt(newsdb("lexisnexis/amcat_test.txt"), SETTINGS)
    solutions = json.loads(newsdb("lexisnexis/amcat_test_body_sols.json").read_text(encoding="utf-8"))
    assert len(result.articles) == len(solutions) == 26
    figures = compare(result.articles, solutions)
    assert set(figures["mismatches"]) == set(EXPLAINED)
    assert (figures["fields"], figures["equal"], figures["exact"]) == (238, 221, 180)
    # the two documents AmCAT leaves out are reported, not dropped silently
    assert (10, "empty-document") in codes(result) and (None, "count-mismatch") in codes(result)


def test_amcat_cover_header():
    header = json.loads(newsdb("lexisnexis/amcat_test_header_sols.json").read_text(encoding="utf-8"))
    result = lexisnexis.read_txt(newsdb("lexisnexis/amcat_test.txt"), SETTINGS)
    assert header["Printopdracht"] == "Alle documenten: 1-2325"
    mismatch = next(p for p in result.problems if p.code == "count-mismatch")
    assert "states 2325 documents" in mismatch.message and "26 parsed" in mismatch.message
