"""The config tier's completeness audit: a recorded config against its transformers config class."""

from __future__ import annotations

import json

import transformers

from generator.verify.configaudit import audit_config
from tests.conftest import CATALOG


def test_a_config_saved_in_full_is_complete() -> None:
    for config in (transformers.BlipConfig(), transformers.Dinov2Config(), transformers.CLIPConfig()):
        audit = audit_config(config.to_dict())
        assert audit["complete"], audit
        assert audit["config_class"] == type(config).__name__


def test_a_missing_sub_config_and_a_cut_off_one_are_incomplete() -> None:
    full = transformers.BlipConfig().to_dict()
    del full["vision_config"]
    text = full["text_config"]
    full["text_config"] = {k: text[k] for k in sorted(text) if k <= "num_beam_groups"}  # cut off
    audit = audit_config(full)
    assert not audit["complete"]
    assert audit["missing_sub_configs"] == ["vision_config"]
    assert {"num_hidden_layers", "vocab_size"} <= set(audit["defaulted"]["text_config"])


def test_a_missing_top_level_field_is_listed() -> None:
    config = transformers.Dinov2Config().to_dict()
    del config["hidden_size"]
    audit = audit_config(config)
    assert audit["defaulted"] == {"(top level)": ["hidden_size"]}


def test_older_spellings_count_as_present() -> None:
    # Old CLIP files keep sub-configs as `text_config_dict`; old Qwen2-VL files keep the text fields flat.
    clip = transformers.CLIPConfig().to_dict()
    clip["text_config_dict"] = clip.pop("text_config")
    assert audit_config(clip)["complete"]
    qwen = json.loads((CATALOG / "lock" / "hub.json").read_text(encoding="utf-8"))["models"][
        "Alibaba-NLP/gme-Qwen2-VL-7B-Instruct"
    ]["config"]
    assert "text_config" not in qwen
    assert audit_config(qwen)["missing_sub_configs"] == []


def test_a_config_without_a_class_cannot_be_complete() -> None:
    audit = audit_config({"model_type": "intern_vit_6b", "hidden_size": 1024})
    assert audit["complete"] is False
    assert "no config class" in audit["reason"]
