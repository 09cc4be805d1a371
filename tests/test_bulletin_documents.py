"""The demo's bulletin in every format: the same numbers as the engine and the dashboard, Chinese
headings and East-Asian fonts, page numbers, repeating headers, text from data never evaluated."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from pypdf import PdfReader

from metrics import bulletin, views
from metrics.bulletin import scope, service, source, tables
from metrics.bulletin.model import Bulletin, Paragraph, Table
from metrics.bulletin.numbers import cell_text, score

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PERIOD = "2021Q3"


@pytest.fixture(scope="module")
def src(demo_store):
    return source.load(demo_store, PERIOD)


@pytest.fixture(scope="module")
def city(demo_store) -> Bulletin:
    return service.prepare(demo_store, PERIOD)


@pytest.fixture(scope="module")
def files(city) -> dict[str, bytes]:
    return {fmt: bulletin.render(city, fmt) for fmt in bulletin.FORMATS}


def _paragraphs(b: Bulletin, key: str) -> list[str]:
    return b.section(key).paragraphs()


def test_sections_and_title(city):
    assert city.title == "衡阳市2021年第三季度省考重点工作绩效评估指标进展情况通报"
    assert [s.heading for s in city.sections] == [
        "一、总体情况", "二、各县市区、市直部门、园区排名", "三、红灯及落后序时进度指标", "四、全省排名情况",
        "五、督查事项", "六、未按时报送情况", "七、表彰和通报批评"]
    assert city.issuer == "衡阳市绩效评估工作领导小组办公室" and city.number_label == "（未签发）"
    assert city.footer.startswith(f"数据版本 v{city.store_version}")


def test_city_sentence_reads_the_citys_own_row(city, src):
    ctx = src.ctx
    code = views.city_code(ctx.units)
    now = tables.counts(tables.rows_of(ctx, ctx.now, [code]))
    prev = tables.counts(tables.rows_of(ctx, ctx.prev, [code]))
    assert (now["total"], now["green"], now["red"], prev["red"]) == (5, 2, 1, 0)
    assert _paragraphs(city, "overview")[0] == "全市5项指标中，达到序时进度的2项，占40.0%；红灯1项，较上期增加1项。"


def test_unit_sentence_equals_the_overview_cards(city, src):
    h = views.overview(src.ctx)["cards"]   # what the 总览 page's cards show
    text = _paragraphs(city, "overview")[2]
    assert f"应报指标{h['rows']}项" in text and f"达到序时进度的{h['green']}项" in text
    assert f"落后序时进度{h['behind']}项，其中红灯{h['red']}项，较上期增加{h['red'] - h['red_prev']}项" in text
    assert "祁东县" in text


def test_ranking_tables_are_the_engines(city, src):
    units = src.ctx.now.units
    for table in city.section("rankings").tables():
        for row in table.rows:
            engine = units[units["unit_code"] == row["unit_code"]].iloc[0]
            assert row["composite"] == engine["composite"]
            assert row["rank"] == engine["rank"] and row["red"] == engine["red"]


def test_red_list_names_units_gaps_and_leads(city, src):
    table = city.section("behind").tables()[0]
    ind = src.ctx.now.indicators
    ranked = ind[ind["unit_type"].isin(views.RANKED_TYPES)]
    reds = ranked[ranked["status"] == "red"].groupby("indicator_code", observed=True).size()
    assert {r["indicator_code"]: r["red_count"] for r in table.rows if r["red_count"]} == reds.to_dict()
    e01 = next(r for r in table.rows if r["indicator_code"] == "E01")
    assert e01["lead"] == "市统计局" and e01["red_units"].startswith("雁峰区（完成")
    assert any(r["red_units"] == "无" for r in table.rows)   # an indicator with yellows only
    assert any("乡镇红灯" in b.text for b in city.section("behind").blocks if hasattr(b, "text"))


def test_province_trend_equals_the_province_pages_history(city, demo_store, src):
    """The bulletin computes the year's 全省排名 on the 市州 alone; the province page on every unit."""
    from metrics.compute import Engine

    units, indicators = demo_store.catalog()
    figures = demo_store.figures()
    codes = views.trend_periods(views.period_options(figures), PERIOD)
    whole = Engine(units, indicators, figures).compute(list(codes), provenance=False)
    ctx = views.Context(units=units, indicators=indicators, period=PERIOD, now=src.ctx.now, prev=src.ctx.prev,
                        figures=figures, hist_loader=lambda: whole)
    history = views.province(ctx)["history"]
    chart = next(c for c in city.charts() if c.key == "province_trend")
    for series in chart.data["series"]:
        ranks = history[history["indicator_name"] == series["name"]].sort_values("period")["rank"].tolist()
        assert series["ranks"] == ranks


def test_sections_of_other_features_say_why_they_are_left_out(city):
    supervision = city.section("supervision").blocks
    assert len(supervision) == 1 and "未连接督查数据库" in supervision[0].text
    reporting = city.section("reporting")
    assert reporting.blocks[0].text.startswith("按报送日历统计")
    rows = reporting.tables()[0].rows
    assert rows and all((r["late"] or 0) + (r["missing"] or 0) > 0 for r in rows)
    listed = reporting.blocks[1].text
    assert listed.startswith("未按时报送的单位：") and rows[0]["unit_name"] in listed
    assert len(rows) <= 20 or f"等{len(rows)}个单位" in listed
    # the demo's arrivals: everything on time in 2021Q3 but the two figures never sent
    assert reporting.tables()[0].values("unit_name") == ["祁东县", "祁东县归阳镇"]
    assert reporting.tables()[0].values("missing") == [1, 1]


def test_commend_and_criticise_each_group(city):
    rows = {r["group"]: r for r in city.section("honours").tables()[0].rows}
    assert rows["县市区·城区"] == {"group": "县市区·城区", "commended": "蒸湘区", "criticised": "石鼓区"}
    assert rows["县市区·县市"]["criticised"] == "祁东县"


def test_group_and_county_scopes(demo_store, src):
    units = src.ctx.units
    assert scope.parse("城区", units).key == "group:县市区/城区"
    assert scope.parse("衡阳县", units) == scope.parse("430421", units)
    with pytest.raises(scope.ScopeError, match="是否为 衡阳县"):
        scope.parse("衡阳县城", units)
    county = service.prepare(demo_store, PERIOD, "衡阳县")
    assert county.title == "衡阳市衡阳县2021年第三季度绩效评估指标进展情况通报"
    assert "province" not in [s.key for s in county.sections]
    first = _paragraphs(county, "overview")
    assert first[0].startswith("衡阳县31项指标中") and "在县市组7个单位中排第" in first[1]
    group = service.prepare(demo_store, PERIOD, "县市区/城区")
    assert [t.title for t in group.section("rankings").tables()] == ["（一）县市区·城区组"]


# -- the formats -------------------------------------------------------------------------------------


def test_xlsx_numbers_equal_the_engine(files, src, city):
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    units = src.ctx.now.units.set_index("unit_code")
    sheet = book["二（一）县市区·城区组"]
    assert sheet.freeze_panes == "A3"
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["排名", "单位", "综合得分", "名次变化"]
    for row in sheet.iter_rows(min_row=3, max_row=7):
        name, composite, rank = row[1].value, row[2].value, row[0].value
        engine = units[units["unit_name"] == name].iloc[0]
        assert composite == engine["composite"] and rank == engine["rank"]
        assert row[2].number_format == "0.00"
    province = next(book[n] for n in book.sheetnames if n.startswith("四"))
    ranks = views.province_ranks(src.ctx).set_index("indicator_name")
    for row in province.iter_rows(min_row=3, max_row=2 + len(ranks)):
        assert row[1].value == ranks.at[row[0].value, "actual"] and row[2].value == ranks.at[row[0].value, "rank"]
    matrix = book["状态矩阵"]
    chart = city.charts()[0]
    assert matrix.cell(3, 2).value == {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[chart.data["status"][0][0]]
    assert matrix.cell(3, 2).fill.fgColor.rgb.endswith(("2E7D32", "F9A825", "C62828"))
    assert book["通报"]["A3"].value == city.title


def test_docx_opens_with_headings_tables_and_fonts(files, city):
    doc = Document(io.BytesIO(files["docx"]))
    text = [p.text for p in doc.paragraphs]
    for section in city.sections:
        assert section.heading in text
    assert city.title in text and city.section("overview").paragraphs()[0] in text
    first = city.section("rankings").tables()[0]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [c.title for c in first.columns]
    assert [c.text for c in table.rows[1].cells] == [cell_text(first.rows[0], c) for c in first.columns]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None        # header repeats on every page
    runs = [r for p in doc.paragraphs for r in p.runs] + [r for t in doc.tables for row in t.rows
                                                          for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = section.footer._element.xml
    assert "PAGE" in footer and f"数据版本 v{city.store_version}" in footer


def test_pptx_one_slide_per_section_16_9(files, city):
    deck = Presentation(io.BytesIO(files["pptx"]))
    assert round(deck.slide_width / deck.slide_height, 3) == round(16 / 9, 3)
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in deck.slides]
    assert city.title in texts[0]
    for section in city.sections:
        assert any(section.heading in t for t in texts), section.heading
    first = city.section("rankings").tables()[0]
    grid = next(s.table for slide in deck.slides for s in slide.shapes if s.has_table)
    assert [grid.cell(1, j).text for j in range(len(first.columns))] == [cell_text(first.rows[0], c) for c in
                                                                          first.columns]
    runs = [r for slide in deck.slides for s in slide.shapes if s.has_text_frame
            for p in s.text_frame.paragraphs for r in p.runs]
    assert runs and all(r._r.rPr.find(qn("a:ea")) is not None for r in runs)


def test_pdf_has_the_chinese_text_and_embeds_the_font(files, city):
    reader = PdfReader(io.BytesIO(files["pdf"]))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for section in city.sections:
        assert section.heading in text
    first = city.section("rankings").tables()[0].rows[0]
    assert first["unit_name"] in text and score(first["composite"]) in text
    assert "达到序时进度的2项，占40.0%" in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages[:1]
             for f in page["/Resources"]["/Font"].values()}
    assert any("YJXNotoSansSC" in f for f in fonts), fonts
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) renders the PDF: scripts/test.sh installs it as root"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "bulletin_city.pdf"
    pdf.write_bytes(files["pdf"])
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / "bulletin_pdf_page1")], check=True, timeout=120)
    assert (ARTIFACTS / "bulletin_pdf_page1.png").stat().st_size > 20_000


def test_every_format_is_what_it_says(files):
    assert files["pdf"].startswith(b"%PDF")
    for fmt in ("docx", "pptx", "xlsx"):
        assert zipfile.is_zipfile(io.BytesIO(files[fmt]))


# -- text from data is text ------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://example.invalid","x")', '#eval("1+1") *bold* $x$ <b>', "@SUM(A1)", "+1-2"]


def _hostile(city: Bulletin) -> Bulletin:
    rows = [{"group": name, "commended": name, "criticised": "无"} for name in HOSTILE]
    section = next(s for s in city.sections if s.key == "honours")
    blocks = [Paragraph(HOSTILE[1]), Table("表彰和通报批评", section.tables()[0].columns, rows)]
    return replace(city, sections=[replace(section, blocks=blocks)])


def test_text_from_data_is_never_a_formula_nor_markup(city):
    hostile = _hostile(city)
    book = openpyxl.load_workbook(io.BytesIO(bulletin.render(hostile, "xlsx")))
    sheet = next(book[n] for n in book.sheetnames if "表彰" in n)
    cells = [sheet.cell(r, 1) for r in range(3, 3 + len(HOSTILE))]
    assert [c.value for c in cells] == HOSTILE and all(c.data_type == "s" for c in cells)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bulletin.render(hostile, "pdf"))).pages)
    assert '#eval("1+1")*bold*$x$<b>' in text.replace(" ", "").replace("\n", "")
    doc = Document(io.BytesIO(bulletin.render(hostile, "docx")))
    assert doc.tables[0].rows[1].cells[0].text == HOSTILE[0]


# -- looked at: docx and pptx through LibreOffice (tests only; never needed at run time) -------------


def test_office_documents_render_to_pictures(files):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        pytest.skip("LibreOffice or pdftoppm not installed (scripts/test.sh installs them as root)")
    ARTIFACTS.mkdir(exist_ok=True)
    for fmt in ("docx", "pptx"):
        src_file = ARTIFACTS / f"bulletin_city.{fmt}"
        src_file.write_bytes(files[fmt])
        profile = ARTIFACTS / ".lo-profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(ARTIFACTS / fmt), str(src_file)], check=True, timeout=300,
                       capture_output=True)
        pdf = ARTIFACTS / fmt / "bulletin_city.pdf"
        pages = len(PdfReader(str(pdf)).pages)
        assert pages >= (3 if fmt == "docx" else 8)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "4", str(pdf),
                        str(ARTIFACTS / f"bulletin_{fmt}_page")], check=True, timeout=120)
        text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages).replace(" ", "")
        assert "一、总体情况" in text and "衡阳市" in text
