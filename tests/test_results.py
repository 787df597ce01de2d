"""Reported results: the schema's errors at the line, the importers on small extracts, the views."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.catalog.load import load_catalog
from generator.catalog.validated import Catalog
from generator.errors import CatalogInvalid
from generator.locks.files import Locks
from generator.site.views.chart import chart_svg
from generator.site.views.results import Results, chart_points
from scripts import import_results

DATA = Path(__file__).parent / "data" / "results"
SHA = "0" * 40

GOOD_FIGURE = {
    "model": "openai/clip-vit-base-patch32",
    "benchmark": "imagenet1k-zeroshot",
    "protocol": "datacomp-eval",
    "score": 0.6332,
    "unit": "fraction",
    "where": "row 1",
}


def _write_source(project: Path, figures: list[dict[str, object]], name: str = "test-source") -> Path:
    path = project / "catalog" / "quality" / "reported" / f"{name}.yaml"
    doc = {
        "source": {
            "id": name,
            "reporter": {"en": "A tester", "zh": "测试者"},
            "third_party": True,
            "url": "https://example.org/results.csv",
        },
        "figures": figures,
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _errors(project: Path) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(project / "catalog")
    return [str(e) for e in caught.value.errors]


def _line_of(path: Path, text: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return lines[occurrence - 1]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"score": math.nan}, "figures.1.score", "finite"),
        ({"score": math.inf}, "figures.1.score", "finite"),
        ({"score": 1.5}, "figures.1", "outside"),
        ({"unit": None}, "figures.1.unit", ""),
        ({"model": "nobody/no-such-model"}, "figures.1.model", "unknown model"),
        ({"benchmark": "no-such-benchmark"}, "figures.1.benchmark", "unknown benchmark"),
        ({"protocol": "no-such-protocol"}, "figures.1.protocol", "unknown protocol"),
        ({"kind": "derived"}, "figures.1", "inputs"),
    ],
)
def test_a_bad_figure_is_an_error_at_its_line(
    project: Path, change: dict[str, object], field: str, words: str
) -> None:
    figure = {**GOOD_FIGURE, **change}
    if figure["unit"] is None:
        del figure["unit"]
    path = _write_source(project, [GOOD_FIGURE | {"benchmark": "cifar10-zeroshot"}, figure])
    mine = [e for e in _errors(project) if path.name in e]
    assert len(mine) == 1, mine
    location, _, rest = mine[0].partition(": ")
    file, _, line = location.rpartition(":")
    assert file.endswith("quality/reported/test-source.yaml")
    # the error points inside the second figure (the bad one), not at the file's top
    assert int(line) >= _line_of(path, "- model:", 2), mine
    assert rest.startswith(field + ":"), mine
    assert words.lower() in rest.lower(), mine


def test_the_same_figure_twice_and_a_wrong_mean_are_errors(project: Path) -> None:
    derived = {
        **GOOD_FIGURE,
        "benchmark": "datacomp38-average",
        "kind": "derived",
        "derivation": "mean",
        "score": 0.9,
        "inputs": [{"benchmark": "imagenet1k-zeroshot", "protocol": "datacomp-eval"}],
    }
    path = _write_source(project, [GOOD_FIGURE, dict(GOOD_FIGURE), derived])
    errors = [e for e in _errors(project) if path.name in e]
    assert any("twice" in e for e in errors), errors
    assert any("mean of its inputs is 0.6332" in e for e in errors), errors


def test_a_derived_figure_equal_to_the_mean_of_its_inputs_is_accepted(project: Path) -> None:
    derived = {
        **GOOD_FIGURE,
        "benchmark": "datacomp38-average",
        "kind": "derived",
        "derivation": "mean",
        "inputs": [{"benchmark": "imagenet1k-zeroshot", "protocol": "datacomp-eval"}],
    }
    _write_source(project, [GOOD_FIGURE, derived])
    catalog = load_catalog(project / "catalog")
    assert sum(len(r.obj.figures) for r in catalog.results) >= 2


def _import(project: Path, *argv: str) -> int:
    return import_results.main([*argv[:1], "--commit", SHA, "--catalog", str(project / "catalog"), *argv[1:]])


def _clear_reported(project: Path) -> Path:
    folder = project / "catalog" / "quality" / "reported"
    shutil.rmtree(folder)
    folder.mkdir()
    return folder


def test_openclip_importer_maps_rows_to_catalogued_hub_ids(project: Path) -> None:
    folder = _clear_reported(project)
    files = [DATA / n for n in ("openclip_results.csv", "openclip_retrieval_results.csv")]
    files += [DATA / "openclip_multilingual_retrieval_results.csv", DATA / "pretrained.py.txt"]
    assert _import(project, "openclip", *map(str, files)) == 0
    out = folder / "openclip-results.yaml"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    models = {f["model"] for f in data["figures"]}
    # timm's re-packagings of OpenAI's weights map to the OpenAI entries; LAION's ViT-H is not catalogued here
    expected = {"openai/clip-vit-base-patch32", "openai/clip-vit-large-patch14-336"}
    laion = "laion/CLIP-ViT-H-14-laion2B-s32B-b79K"  # in the extract; written only when catalogued
    if (project / "catalog" / "models" / f"{laion}.yaml").exists():
        expected.add(laion)
    assert models == expected
    by_key = {(f["model"], f["benchmark"]): f for f in data["figures"]}
    b32 = by_key[("openai/clip-vit-base-patch32", "imagenet1k-zeroshot")]
    row = next(
        line
        for line in (DATA / "openclip_results.csv").read_text().splitlines()
        if line.startswith("ViT-B-32,")
    )
    header = (DATA / "openclip_results.csv").read_text().splitlines()[0].split(",")
    assert b32["score"] == float(row.split(",")[header.index("ImageNet 1k")])
    # the exact row wins over the -quickgelu copy of the same weights
    assert "(ViT-B-32, openai)" in b32["where"]
    assert ("openai/clip-vit-base-patch32", "coco5k-t2i-r1") in by_key
    assert ("openai/clip-vit-base-patch32", "xm3600-zh-t2i-r1") in by_key
    assert data["source"]["commit"] == SHA
    load_catalog(project / "catalog")  # the written file validates
    # re-running writes the same bytes
    before = out.read_bytes()
    assert _import(project, "openclip", *map(str, files)) == 0
    assert out.read_bytes() == before


def test_a_tag_borrowing_another_tags_repository_is_not_mapped(tmp_path: Path) -> None:
    pretrained = tmp_path / "pretrained.py"
    pretrained.write_text(
        "_B16P = dict(\n"
        "    laion400m_e31=_pcfg(hf_hub='timm/vit_b16p.laion400m_e31/'),\n"
        "    laion400m_e32=_pcfg(hf_hub='timm/vit_b16p.laion400m_e31/'),\n"
        ")\n"
        "_B32 = dict(openai=_pcfg(hf_hub='timm/vit_b32.openai/'))\n"
        "_PRETRAINED = {'B16P': _B16P, 'B32': _B32, 'B32-alias': _B32}\n",
        encoding="utf-8",
    )
    hub = import_results.open_clip_hub_ids(pretrained)
    assert hub[("B16P", "laion400m_e31")] == "timm/vit_b16p.laion400m_e31"
    assert ("B16P", "laion400m_e32") not in hub
    # two model names sharing one table are not a borrowed repository
    assert hub[("B32", "openai")] == hub[("B32-alias", "openai")] == "timm/vit_b32.openai"


def test_mobileclip_mteb_and_chinese_clip_importers(project: Path) -> None:
    folder = _clear_reported(project)
    assert _import(project, "mobileclip", str(DATA / "mobileclip_s2.jsonl")) == 0
    assert _import(project, "mteb", str(DATA / "mteb")) == 0
    assert _import(project, "chinese-clip", str(DATA / "Results.md")) == 0
    catalog = load_catalog(project / "catalog")
    results = Results(catalog)
    mc = {(s.benchmark.id, s.protocol.id): s for s in results.of_model("apple/MobileCLIP-S2")}
    assert ("imagenet1k-zeroshot", "datacomp-eval") in mc
    assert ("coco5k-t2i-r1", "datacomp-eval") in mc
    mteb = {s.benchmark.id: s for s in results.of_model("openai/clip-vit-base-patch32")}
    # image-to-text R@1 is the hit rate, not recall_at_1 (which five captions bound by 0.2)
    assert mteb["coco5k-i2t-r1"].value > 20
    assert "cv_recall_at_1" in mteb["coco5k-i2t-r1"].figure.where
    cn = [s for s in results.all if s.source.id == "chinese-clip-results"]
    protocols = {s.protocol.id for s in cn}
    assert protocols == {"chinese-clip-zeroshot", "chinese-clip-finetuned"}
    vit_b = {
        (s.benchmark.id, s.protocol.id): s.value
        for s in cn
        if s.figure.model == "OFA-Sys/chinese-clip-vit-base-patch16"
    }
    # Results.md, MUGE, CN-CLIP ViT-B/16: zero-shot R@1 52.1, fine-tuned R@1 58.4, zero-shot MR 71.1
    assert vit_b[("muge-t2i-r1", "chinese-clip-zeroshot")] == 52.1
    assert vit_b[("muge-t2i-r1", "chinese-clip-finetuned")] == 58.4
    assert vit_b[("muge-t2i-mr", "chinese-clip-zeroshot")] == 71.1
    assert {p.name for p in folder.iterdir()} == {
        "mobileclip-results.yaml",
        "mteb-results.yaml",
        "chinese-clip-results.yaml",
    }


def _mteb_copy(tmp_path: Path) -> Path:
    root = tmp_path / "mteb"
    shutil.copytree(DATA / "mteb", root)
    return root


def _task_file(root: Path, model: str, task: str) -> Path:
    (found,) = (root / "results" / model.replace("/", "__")).glob(f"*/{task}.json")
    return found


def test_mteb_vidore2_gives_one_benchmark_per_query_language(project: Path, tmp_path: Path) -> None:
    folder = _clear_reported(project)
    root = _mteb_copy(tmp_path)
    assert _import(project, "mteb", str(root)) == 0
    out = folder / "mteb-results.yaml"
    figures = yaml.safe_load(out.read_text(encoding="utf-8"))["figures"]
    mine = {f["benchmark"]: f for f in figures if f["model"] == "vidore/colpali-v1.3"}
    raw = json.loads(_task_file(root, "vidore/colpali-v1.3", "Vidore2ESGReportsRetrieval").read_text())
    by_subset = {e["hf_subset"]: e["ndcg_at_5"] for e in raw["scores"]["test"]}
    for subset, code in (("english", "en"), ("french", "fr"), ("german", "de"), ("spanish", "es")):
        fig = mine[f"vidore2-mteb-esg-reports-{code}"]
        assert fig["score"] == by_subset[subset] and fig.get("kind", "reported") == "reported"
        assert f"[hf_subset {subset}]" in fig["where"]
    # the task score (MTEB's mean over the subsets) is recorded as derived, with its four inputs
    mean = mine["vidore2-mteb-esg-reports"]
    assert mean["kind"] == "derived" and mean["derivation"] == "mean"
    assert sorted(i["benchmark"] for i in mean["inputs"]) == sorted(
        f"vidore2-mteb-esg-reports-{c}" for c in ("en", "fr", "de", "es")
    )
    assert mean["score"] == pytest.approx(sum(by_subset.values()) / 4, abs=1e-5)
    # the single-subset task keeps its one benchmark
    assert "vidore2-mteb-esg-reports-hl" in mine
    assert not any(b.startswith("vidore2-mteb-esg-reports-hl-") for b in mine)
    load_catalog(project / "catalog")  # the derived mean matches its inputs
    before = out.read_bytes()
    assert _import(project, "mteb", str(root)) == 0
    assert out.read_bytes() == before
    # a file lacking a language subset gives the others, and no mean
    path = _task_file(root, "vidore/colpali-v1.3", "Vidore2ESGReportsRetrieval")
    raw["scores"]["test"] = [e for e in raw["scores"]["test"] if e["hf_subset"] != "german"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert _import(project, "mteb", str(root)) == 0
    figures = yaml.safe_load(out.read_text(encoding="utf-8"))["figures"]
    esg = {f["benchmark"] for f in figures if f["benchmark"].startswith("vidore2-mteb-esg-reports")}
    assert esg == {"vidore2-mteb-esg-reports-hl"} | {
        f"vidore2-mteb-esg-reports-{c}" for c in ("en", "fr", "es")
    }


@pytest.mark.parametrize(
    ("version", "protocol"),
    [("1.38.33", "mteb1-audio-probe"), ("2.4.2", "mteb2-audio-probe"), ("2.1.13", None), ("", None)],
)
def test_mteb_esc50_probe_protocol_follows_the_mteb_version(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str, protocol: str | None
) -> None:
    folder = _clear_reported(project)
    root = _mteb_copy(tmp_path)
    path = _task_file(root, "laion/clap-htsat-unfused", "ESC50")
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["mteb_version"] = version
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert _import(project, "mteb", str(root)) == 0
    figures = yaml.safe_load((folder / "mteb-results.yaml").read_text(encoding="utf-8"))["figures"]
    clap = {
        (f["benchmark"], f["protocol"]): f["score"]
        for f in figures
        if f["model"] == "laion/clap-htsat-unfused"
    }
    # the zero-shot task is MTEB's zero-shot protocol whatever the version; the probe never is
    zeroshot = json.loads(_task_file(root, "laion/clap-htsat-unfused", "ESC50_Zeroshot").read_text())
    assert clap[("esc50-zeroshot", "mteb")] == zeroshot["scores"]["train"][0]["accuracy"]
    probes = {k: v for k, v in clap.items() if k[0] == "esc50-linear"}
    if protocol is None:
        assert probes == {}
        assert "left out" in capsys.readouterr().err
    else:
        assert probes == {("esc50-linear", protocol): raw["scores"]["train"][0]["accuracy"]}
        catalog = load_catalog(project / "catalog")
        assert catalog.protocol_map[protocol].setting == "probe"
        assert catalog.protocol_map["mteb"].setting == "zero-shot"


def test_mmeb_vidore2_pooled_languages_are_benchmarks_of_their_own(project: Path) -> None:
    folder = _clear_reported(project)
    path = DATA / "mmeb" / "v2.0.1" / "colpali-v1.3.json"
    assert _import(project, "mmeb", str(path)) == 0
    figures = yaml.safe_load((folder / "mmeb-results.yaml").read_text(encoding="utf-8"))["figures"]
    visdoc = json.loads(path.read_text(encoding="utf-8"))["metrics"]["visdoc"]
    got = {f["benchmark"]: f["score"] for f in figures if f["protocol"] == "mmeb-v2"}
    assert (
        got["vidore2-mteb-esg-reports-hl"] == visdoc["ViDoRe_esg_reports_human_labeled_v2"]["ndcg_linear@5"]
    )
    pooled = visdoc["ViDoRe_esg_reports_v2_multilingual"]["ndcg_linear@5"]
    # all four query languages in one run: neither a per-language figure nor MTEB's mean of them
    assert got["vidore2-mteb-esg-reports-pooled"] == pooled
    assert "vidore2-mteb-esg-reports" not in got and "vidore2-mteb-esg-reports-en" not in got
    assert {"vidore2-mteb-economics-reports-pooled", "vidore2-mteb-biomedical-lectures-pooled"} <= set(got)
    assert got["vidore1-arxivqa"] == visdoc["ViDoRe_arxivqa"]["ndcg_linear@5"]
    load_catalog(project / "catalog")


def test_an_importer_given_a_broken_file_writes_nothing(project: Path, tmp_path: Path) -> None:
    folder = _clear_reported(project)
    bad = tmp_path / "openclip_results.csv"
    bad.write_text("name,pretrained,ImageNet 1k\nViT-B-32,openai,lots\n", encoding="utf-8")
    files = [
        bad,
        DATA / "openclip_retrieval_results.csv",
        DATA / "openclip_multilingual_retrieval_results.csv",
    ]
    assert _import(project, "openclip", *map(str, [*files, DATA / "pretrained.py.txt"])) == 1
    assert list(folder.iterdir()) == []
    broken = tmp_path / "mobileclip_s2.jsonl"
    broken.write_text('{"key": "imagenet1k"\n', encoding="utf-8")
    assert _import(project, "mobileclip", str(broken)) == 1
    assert list(folder.iterdir()) == []


def test_no_leaderboard_mixes_protocols_and_each_is_ordered(catalog: Catalog) -> None:
    results = Results(catalog)
    assert results.boards
    for bench_id, boards in results.boards.items():
        assert len({b.protocol.id for b in boards}) == len(boards), bench_id
        for board in boards:
            assert {s.protocol.id for s in board.rows} == {board.protocol.id}
            assert {s.benchmark.id for s in board.rows} == {bench_id}
            values = [s.value for s in board.rows]
            assert values == sorted(values, reverse=board.benchmark.direction == "higher")


def test_every_headline_benchmark_has_a_protocol_with_figures(catalog: Catalog) -> None:
    results = Results(catalog)
    headline = results.headline()
    assert {b.id for b in headline} >= {"imagenet1k-zeroshot", "coco5k-t2i-r1"}
    for bench in headline:
        assert any(b.protocol.id == bench.headline_protocol for b in results.boards[bench.id]), bench.id


def test_pareto_front_and_chart_points(catalog: Catalog, locks: Locks) -> None:
    results = Results(catalog)
    bench = catalog.benchmark_def_map["imagenet1k-zeroshot"]
    points = chart_points(results, bench, locks)
    assert len(points) >= 3
    for p in points:
        dominated = any(
            q.cost <= p.cost and q.score >= p.score and (q.cost, q.score) != (p.cost, p.score) for q in points
        )
        assert p.pareto == (not dominated), p.model.id
    svg = str(chart_svg(points, lambda mid: f"../models/{mid}.html", "t", "x", "y", "front"))
    hrefs = re.findall(r'<a href="([^"]+)" data-model="([^"]+)"', svg)
    assert sorted(m for _, m in hrefs) == sorted(p.model.id for p in points)
    assert all(h == f"../models/{m}.html" for h, m in hrefs)
    assert svg.count('class="point front-point"') == sum(p.pareto for p in points)
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_chart_escapes_names(catalog: Catalog, locks: Locks) -> None:
    results = Results(catalog)
    points = chart_points(results, catalog.benchmark_def_map["imagenet1k-zeroshot"], locks)
    hostile = points[0].model.model_copy(update={"name": "<img src=x onerror=alert(1)>"})
    svg = str(
        chart_svg(
            [points[0].__class__(hostile, 50.0, 10**8, "config", True)], lambda m: "a&b", "t", "x", "y", "f"
        )
    )
    assert "<img" not in svg and "&lt;img" in svg
    assert 'href="a&amp;b"' in svg


def test_readme_table_importers(project: Path) -> None:
    folder = _clear_reported(project)
    assert _import(project, "siglip2", str(DATA / "README_siglip2.md")) == 0
    assert _import(project, "dinov2", str(DATA / "dinov2_README.md")) == 0
    catalog = load_catalog(project / "catalog")
    results = Results(catalog)
    # README_siglip2.md, row "SigLIP 2 | g-opt/16 | 384": INet 0-shot 85.0, COCO T→I 56.1, I→T 72.8
    giant = {s.benchmark.id: s for s in results.of_model("google/siglip2-giant-opt-patch16-384")}
    assert giant["imagenet1k-zeroshot"].value == 85.0
    assert giant["coco5k-t2i-recall"].value == 56.1  # the cut-off is not stated: not an R@1 benchmark
    assert giant["coco5k-i2t-recall"].value == 72.8
    assert "coco5k-t2i-r1" not in giant
    assert giant["coco5k-t2i-recall"].figure.note is not None
    # dinov2 README: ViT-S/14 distilled without registers k-NN 79.0 linear 81.1
    small = {s.benchmark.id: s.value for s in results.of_model("facebook/dinov2-small")}
    assert small == {"imagenet1k-knn": 79.0, "imagenet1k-linear": 81.1}
    written = {p.name for p in folder.iterdir()}
    assert written == {"siglip2-results.yaml", "dinov2-results.yaml"}


def test_removing_an_entry_that_has_figures_is_an_error_at_the_figure(project: Path) -> None:
    (project / "catalog" / "models" / "facebook" / "dinov2-small.yaml").unlink()
    errors = _errors(project)
    assert errors and all(
        "quality/reported/" in e and "unknown model 'facebook/dinov2-small'" in e for e in errors
    )
