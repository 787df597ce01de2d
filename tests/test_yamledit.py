"""YAML the project writes: Chinese lines never folded, in-place edits touch only their values."""

from __future__ import annotations

import yaml

from generator.catalog.schema import zh_spacing_error
from generator.catalog.yamledit import dump_yaml, replace_scalars
from scripts.fix_zh_spacing import fix_spacing

LONG_ZH = "这是一段很长的中文说明，" * 12 + "其中包含 ViT-L/14 与 336 像素等写法。"
FILE = """\
# a comment that must survive
id: x/y
summary:
  en: An English summary that stays exactly as it is, folded over
    two lines.
  zh: 第一行，
    第二行。
note: {en: "short", zh: "短的， 说明。"}
"""


def test_dump_never_folds_chinese() -> None:
    text = dump_yaml({"summary": {"en": "word " * 40, "zh": LONG_ZH}}, width=60)
    zh_lines = [line for line in text.splitlines() if "中文" in line]
    assert len(zh_lines) == 1
    assert yaml.safe_load(text)["summary"]["zh"] == LONG_ZH
    assert len([line for line in text.splitlines() if "word" in line]) > 1  # English still folds


def test_a_folded_chinese_line_reads_back_with_a_space() -> None:
    # Why the rule exists: the fold in FILE comes back as "第一行， 第二行。".
    value = yaml.safe_load(FILE)["summary"]["zh"]
    assert value == "第一行， 第二行。"
    assert zh_spacing_error(value) is not None
    assert fix_spacing(value) == "第一行，第二行。"
    assert zh_spacing_error(fix_spacing(value)) is None


def test_replace_scalars_rewrites_only_the_chosen_values() -> None:
    edits = {("summary", "zh"): "第一行，第二行。", ("note", "zh"): "短的，说明。"}
    text = replace_scalars(FILE, edits)
    assert text.startswith("# a comment that must survive\n")
    assert "  en: An English summary that stays exactly as it is, folded over\n    two lines.\n" in text
    assert "  zh: 第一行，第二行。\n" in text
    assert 'note: {en: "short", zh: "短的，说明。"}' in text  # flow mapping: quoted
    data = yaml.safe_load(text)
    assert data["summary"]["zh"] == "第一行，第二行。"
    assert data["note"] == {"en": "short", "zh": "短的，说明。"}


def test_spacing_rule_allows_spaces_next_to_latin_text() -> None:
    assert zh_spacing_error("基于 XLM-RoBERTa 的模型，共 1024 维。") is None
    assert zh_spacing_error("训练， 使") is not None
    assert zh_spacing_error("学习 后") is not None
    assert zh_spacing_error("模型 （蒸馏）") is not None
