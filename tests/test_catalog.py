"""The catalog workbook: defaults, lookups, and every refusal with its location."""

import copy

import pytest
from conftest import tree_digest
from factories import INDICATORS, UNITS, write_catalog

from metrics.catalog import Catalog, LookupFailure
from metrics.importer import import_file
from metrics.messages import ImportRefused
from metrics.store import Store


def load(tmp_path, units=None, indicators=None):
    store = Store(tmp_path / "s")
    import_file(write_catalog(tmp_path / "c.xlsx", units, indicators), store)
    return Catalog(*store.catalog())


def refused(tmp_path, units=None, indicators=None) -> str:
    with pytest.raises(ImportRefused) as err:
        import_file(write_catalog(tmp_path / "c.xlsx", units, indicators), Store(tmp_path / "s"))
    return "\n".join(p.render() for p in err.value.problems)


def test_defaults_and_lists(tmp_path):
    cat = load(tmp_path)
    gdp = cat.indicator("GDP")
    assert (gdp.kind, gdp.direction, gdp.scoring, gdp.frequency, gdp.additive) == ("amount", "higher", "ratio", "quarter", True)
    assert list(gdp.aliases) == ["GDP", "生产总值"]
    rate = cat.indicator("GDPZS")
    assert (rate.scoring, rate.additive, list(rate.applies_to)) == ("rank", False, ["县市区", "市州"])
    assert cat.indicator("PM25").scoring == "rank" and str(cat.indicator("PM25").band) == "nan"
    assert cat.indicator("FFP").frequency == "dekad" and cat.indicator("GDZC").frequency == "month"
    assert cat.unit("P01").group == "园区"       # empty group -> the type's name
    assert cat.unit("430421101").parent == "430421" and cat.unit("430422101").parent == "430422"


def test_lookups(tmp_path):
    cat = load(tmp_path)
    assert cat.resolve_unit("衡南") == "430422"
    assert cat.resolve_unit("衡阳县/白沙镇") == "430421101"
    assert cat.resolve_unit("430422101") == "430422101"
    assert cat.resolve_indicator("ＧＤＰ") == "GDP"
    assert cat.growth_indicator("GDP") == "GDPZS"
    with pytest.raises(LookupFailure) as err:
        cat.resolve_unit("白沙镇")
    assert err.value.key == "ambiguous_unit"


def edit(rows, index, column, value):
    rows = copy.deepcopy(rows)
    rows[index][column] = value
    return rows


def test_duplicate_code(tmp_path):
    text = refused(tmp_path, units=edit(UNITS, 1, 0, "430405"))
    assert "工作表 单位，第 3 行，A 列（编码）：编码“430405”重复，另见第 2 行" in text


def test_unknown_type(tmp_path):
    assert "第 2 行，C 列（类型）：类型“县区”无效" in refused(tmp_path, units=edit(UNITS, 0, 2, "县区"))


def test_unknown_parent(tmp_path):
    text = refused(tmp_path, units=edit(UNITS, 5, 4, "衡阳具"))
    assert "第 7 行，E 列（上级）：上级单位“衡阳具”不存在，是否为 衡阳县" in text


def test_name_clash_same_parent(tmp_path):
    text = refused(tmp_path, units=edit(UNITS, 7, 1, "白沙镇"))    # two 白沙镇 under 衡南县
    assert "第 9 行，B 列（名称）：名称或别名“白沙镇”同时指向" in text


def test_indicator_alias_clash(tmp_path):
    text = refused(tmp_path, indicators=edit(INDICATORS, 2, 11, "GDP"))
    assert "工作表 指标，第 4 行，L 列（别名）：名称或别名“GDP”同时指向“地区生产总值（GDP）”和“固定资产投资（GDZC）”" in text


@pytest.mark.parametrize("weight", [0, -1, "x"])
def test_non_positive_weight(tmp_path, weight):
    assert "第 2 行，G 列（权重）" in refused(tmp_path, indicators=edit(INDICATORS, 0, 6, weight))


def test_applies_to_nothing(tmp_path):
    assert "第 2 行，K 列（适用类型）：指标没有适用的单位类型" in refused(tmp_path, indicators=edit(INDICATORS, 0, 10, ""))


def test_ratio_on_rate(tmp_path):
    assert "第 3 行，H 列（计分方式）：比率指标不能按“完成率”计分" in refused(tmp_path, indicators=edit(INDICATORS, 1, 7, "完成率"))


def test_bad_kind_and_direction(tmp_path):
    text = refused(tmp_path, indicators=edit(edit(INDICATORS, 0, 4, "数量"), 0, 5, "向上"))
    assert "E 列（类型）：“数量”无效，应为：总量、比率" in text and "F 列（方向）：“向上”无效" in text


def test_refused_catalog_changes_nothing(tmp_path):
    store = Store(tmp_path / "s")
    import_file(write_catalog(tmp_path / "good.xlsx"), store)
    before = tree_digest(store.root)
    with pytest.raises(ImportRefused):
        import_file(write_catalog(tmp_path / "bad.xlsx", units=edit(UNITS, 0, 2, "县区")), store)
    assert tree_digest(store.root) == before


def test_catalog_versions_and_noop(tmp_path):
    store = Store(tmp_path / "s")
    assert import_file(write_catalog(tmp_path / "a.xlsx"), store).version == 1
    assert import_file(write_catalog(tmp_path / "b.xlsx"), store).version is None
    assert import_file(write_catalog(tmp_path / "c.xlsx", units=edit(UNITS, 0, 5, "珠晖、ZH")), store).version == 2
    assert store.catalog(as_of=1)[0].set_index("code").loc["430405", "aliases"] == ["珠晖"]
