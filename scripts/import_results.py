"""Import reported results from machine-readable sources into catalog/quality/reported/.

Each importer reads files of a fetched copy of its source (paths given on the command line, with the
commit they were read at) and writes one catalogue file per source: every figure with its model,
benchmark, protocol, score as printed, unit and where in the file it stands. Only models the catalogue
has are written; re-running on the same input writes the same bytes (figures sorted, no dates).

    python scripts/import_results.py openclip --commit SHA \
        RESULTS.csv RETRIEVAL.csv MULTILINGUAL.csv PRETRAINED.py
    python scripts/import_results.py mobileclip --commit SHA results/*.jsonl
    python scripts/import_results.py mteb --commit SHA RESULTS_REPO_ROOT
    python scripts/import_results.py chinese-clip --commit SHA Results.md
    python scripts/import_results.py siglip2 --commit SHA README_siglip2.md
    python scripts/import_results.py dinov2 --commit SHA README.md
    python scripts/import_results.py dinov3 --commit SHA MODEL_CARD.md
    python scripts/import_results.py aimv2 --commit SHA README.md
    python scripts/import_results.py mmeb --commit SHA all_scores/v2.0.1/*.json
    python scripts/import_results.py pe --commit SHA apps/pe/README.md
    python scripts/import_results.py colpali --commit SHA README.md

Exit 1 with ``file:line: message`` when an input is not what the importer expects; nothing is written then.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import sys
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from generator.atomic import write_text_atomic
from generator.catalog.load import load_catalog
from generator.errors import CatalogInvalid

ROOT = Path(__file__).resolve().parents[1]
Figure = dict[str, Any]


class InputError(Exception):
    """An input file is not in the form the importer reads."""


# --- open_clip -----------------------------------------------------------------------------------

# open_clip evaluates OpenAI's, Google's and Meta's weights through timm's re-packaging; the figures are of
# the same weights, recorded under the catalogue's id of the original release.
REPACKAGED = {
    "timm/vit_base_patch32_clip_224.openai": "openai/clip-vit-base-patch32",
    "timm/vit_base_patch16_clip_224.openai": "openai/clip-vit-base-patch16",
    "timm/vit_large_patch14_clip_224.openai": "openai/clip-vit-large-patch14",
    "timm/vit_large_patch14_clip_336.openai": "openai/clip-vit-large-patch14-336",
    # Google's SigLIP weights as timm re-packaged them (the transformers copies are google/siglip-*)
    "timm/ViT-B-16-SigLIP": "google/siglip-base-patch16-224",
    "timm/ViT-B-16-SigLIP-256": "google/siglip-base-patch16-256",
    "timm/ViT-B-16-SigLIP-384": "google/siglip-base-patch16-384",
    "timm/ViT-B-16-SigLIP-512": "google/siglip-base-patch16-512",
    "timm/ViT-L-16-SigLIP-256": "google/siglip-large-patch16-256",
    "timm/ViT-L-16-SigLIP-384": "google/siglip-large-patch16-384",
    "timm/ViT-SO400M-14-SigLIP": "google/siglip-so400m-patch14-224",
    "timm/ViT-B-16-SigLIP-i18n-256": "google/siglip-base-patch16-256-multilingual",
    # Meta's MetaCLIP files (pretrained.py gives the original dl.fbaipublicfiles.com URL next to the
    # timm repository) whose transformers copies are catalogued as facebook/metaclip-*; the timm
    # repository that has its own entry (ViT-L/14 2.5B) keeps its figures
    "timm/vit_base_patch32_clip_224.metaclip_400m": "facebook/metaclip-b32-400m",
    "timm/vit_base_patch32_clip_224.metaclip_2pt5b": "facebook/metaclip-b32-fullcc2.5b",
    "timm/vit_base_patch16_clip_224.metaclip_400m": "facebook/metaclip-b16-400m",
    "timm/vit_base_patch16_clip_224.metaclip_2pt5b": "facebook/metaclip-b16-fullcc2.5b",
    "timm/vit_large_patch14_clip_224.metaclip_400m": "facebook/metaclip-l14-400m",
    "timm/vit_huge_patch14_clip_224.metaclip_2pt5b": "facebook/metaclip-h14-fullcc2.5b",
}
CLASSIFICATION_COLUMNS = {
    "ImageNet 1k": "imagenet1k-zeroshot",
    "ImageNet v2": "imagenet-v2-zeroshot",
    "ImageNet Sketch": "imagenet-sketch-zeroshot",
    "ImageNet-A": "imagenet-a-zeroshot",
    "ImageNet-R": "imagenet-r-zeroshot",
    "ObjectNet": "objectnet-zeroshot",
    "CIFAR-10": "cifar10-zeroshot",
    "CIFAR-100": "cifar100-zeroshot",
    "STL-10": "stl10-zeroshot",
    "Average perf. on 38 datasets": "datacomp38-average",
}


def _retrieval_columns() -> dict[str, str]:
    out = {}
    for name, ds in (("Flickr", "flickr30k"), ("MSCOCO", "coco5k")):
        for word, direction in (("image", "t2i"), ("text", "i2t")):
            for k in (1, 5, 10):
                out[f"{name} {word} retr. R@{k}"] = f"{ds}-{direction}-r{k}"
    return out


MULTILINGUAL_COLUMNS = {
    f"crossmodal3600 {word}_retrieval_recall@1 {lang}": f"xm3600-{lang}-{direction}-r1"
    for lang in ("zh", "en")
    for word, direction in (("image", "t2i"), ("text", "i2t"))
}


def open_clip_hub_ids(pretrained_py: Path) -> dict[tuple[str, str], str]:
    """(architecture, pretrained tag) -> Hub repo, read from pretrained.py's literal tables (no import)."""
    tree = ast.parse(pretrained_py.read_text(encoding="utf-8"))
    tables: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            tables[node.targets[0].id] = node.value

    def tags(value: ast.expr) -> dict[str, str]:
        if isinstance(value, ast.Name):
            value = tables.get(value.id, value)
        found = {}
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "dict":
            for kw in value.keywords:
                if kw.arg and isinstance(kw.value, ast.Call):
                    for inner in kw.value.keywords:
                        if (
                            inner.arg == "hf_hub"
                            and isinstance(inner.value, ast.Constant)
                            and inner.value.value
                        ):
                            found[kw.arg] = str(inner.value.value).strip("/")
        return found

    registry = tables.get("_PRETRAINED")
    if not isinstance(registry, ast.Dict):
        raise InputError(f"{pretrained_py}:1: no _PRETRAINED table")
    out = {}
    for key, value in zip(registry.keys, registry.values, strict=True):
        if isinstance(key, ast.Constant) and value is not None:
            for tag, hub in tags(value).items():
                out[(str(key.value), tag)] = REPACKAGED.get(hub, hub)
    return _drop_borrowed_repos(out)


def _drop_borrowed_repos(hub_ids: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Keep one tag per repository of a model: the one the repository is named after.

    A tag that points at another tag's repository (ViT-B-16-plus-240's ``laion400m_e32`` names
    ``timm/vit_base_patch16_plus_clip_240.laion400m_e31``) does not describe the weights in it, so
    its rows would put a second, different score on that repository.
    """
    claims: dict[tuple[str, str], list[str]] = {}
    for (name, tag), hub in hub_ids.items():
        claims.setdefault((name, hub), []).append(tag)
    out = dict(hub_ids)
    for (name, hub), tags in claims.items():
        named = [t for t in tags if hub.lower().endswith(t.lower())]
        if len(tags) > 1:
            for tag in tags:
                if tag not in named:
                    del out[(name, tag)]
    return out


def _hub_id(hub: dict[tuple[str, str], str], name: str, tag: str) -> tuple[str | None, bool]:
    """The Hub id of a results row, and whether it matched exactly (not by dropping ``-quickgelu``)."""
    found = hub.get((name, tag))
    if found is None and name.endswith("-quickgelu"):
        return hub.get((name.removesuffix("-quickgelu"), tag)), False
    return found, True


def _csv_rows(path: Path, key_cols: tuple[str, str]) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in key_cols if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")
        yield from enumerate(reader, start=2)


def _figures_from_csv(
    path: Path,
    key_cols: tuple[str, str],
    columns: dict[str, str],
    model_of: Callable[[str, str], tuple[str | None, bool]],
) -> list[Figure]:
    """Figures of one results CSV. open_clip lists some weights twice (``ViT-B-32`` and
    ``ViT-B-32-quickgelu`` with tag ``openai`` load the same checkpoint): the row whose name
    pretrained.py lists itself is kept, the other only fills what it lacks."""
    figures: dict[tuple[str, str], tuple[bool, Figure]] = {}
    for line, row in _csv_rows(path, key_cols):
        model, exact = model_of(row[key_cols[0]], row[key_cols[1]])
        if model is None:
            continue
        for column, benchmark in columns.items():
            cell = (row.get(column) or "").strip()
            if not cell:
                continue
            try:
                score = float(cell)
            except ValueError:
                raise InputError(f"{path}:{line}: column {column!r}: {cell!r} is not a number") from None
            where = f"{path.name} line {line} ({row[key_cols[0]]}, {row[key_cols[1]]}), column '{column}'"
            held = figures.get((model, benchmark))
            if held is None or (exact and not held[0]):
                figures[(model, benchmark)] = (
                    exact,
                    _figure(model, benchmark, "datacomp-eval", score, "fraction", where),
                )
    return [fig for _, fig in figures.values()]


def import_openclip(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    results, retrieval, multilingual, pretrained = (Path(p) for p in args.files)
    hub = open_clip_hub_ids(pretrained)

    def model_of(name: str, tag: str) -> tuple[str | None, bool]:
        found, exact = _hub_id(hub, name, tag)
        return (found if found in known else None), exact

    figures = _figures_from_csv(results, ("name", "pretrained"), CLASSIFICATION_COLUMNS, model_of)
    figures += _figures_from_csv(retrieval, ("name", "pretrained"), _retrieval_columns(), model_of)
    figures += _figures_from_csv(multilingual, ("model", "version"), MULTILINGUAL_COLUMNS, model_of)
    source = _repo_source(
        "openclip-results",
        ("open_clip maintainers (LAION / mlfoundations)", "open_clip 维护者（LAION / mlfoundations）"),
        "mlfoundations/open_clip",
        args.commit,
        "docs/openclip_results.csv, docs/openclip_retrieval_results.csv, "
        "docs/openclip_multilingual_retrieval_results.csv",
        url=f"https://github.com/mlfoundations/open_clip/blob/{args.commit}/docs/openclip_results.csv",
        third_party=True,
        note=(
            "Models are matched to Hub ids through the hf_hub keys of src/open_clip/pretrained.py "
            "at the same commit; rows of OpenAI's CLIP, Google's SigLIP and Meta's MetaCLIP models "
            "are open_clip's runs of timm's re-packaging of the same weights, recorded under the "
            "catalogued original release.",
            "模型通过同一提交中 src/open_clip/pretrained.py 的 hf_hub 键对应到 Hub id；"
            "OpenAI CLIP、Google SigLIP 与 Meta MetaCLIP 模型的行"
            "是 open_clip 对 timm 重新打包的同一份权重的评测，记在目录中的原始发布下。",
        ),
    )
    return {"source": source, "figures": figures}


# --- MobileCLIP ----------------------------------------------------------------------------------

MOBILECLIP_KEYS = {
    "imagenet1k": "imagenet1k-zeroshot",
    "imagenetv2": "imagenet-v2-zeroshot",
    "imagenet_sketch": "imagenet-sketch-zeroshot",
    "imagenet-a": "imagenet-a-zeroshot",
    "imagenet-r": "imagenet-r-zeroshot",
    "objectnet": "objectnet-zeroshot",
    "cifar10": "cifar10-zeroshot",
    "vtab/cifar100": "cifar100-zeroshot",
    "stl10": "stl10-zeroshot",
}
MOBILECLIP_RETRIEVAL = {
    "retrieval/flickr_1k_test_image_text_retrieval": "flickr30k",
    "retrieval/mscoco_2014_5k_test_image_text_retrieval": "coco5k",
}


def mobileclip_hub_id(stem: str) -> str:
    """``mobileclip2_l14`` -> ``apple/MobileCLIP2-L-14`` (the README's download names)."""
    family, _, rest = stem.partition("_")
    names = {"mobileclip": "MobileCLIP", "mobileclip2": "MobileCLIP2"}
    if family not in names or not rest:
        raise InputError(f"{stem}.jsonl:1: file name is not mobileclip[2]_<size>.jsonl")
    parts = [("L-14" if p == "l14" else p.upper()) for p in rest.split("_")]
    return f"apple/{names[family]}-{'-'.join(parts)}"


def import_mobileclip(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    figures = []
    for name in args.files:
        path = Path(name)
        model = mobileclip_hub_id(path.stem)
        if model not in known:
            continue
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                record = json.loads(text)
                key, metrics = record["key"], record["metrics"]
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{path}:{line}: not a DataComp result record") from None
            where = f"results/{path.name} line {line} (key {key})"
            if key in MOBILECLIP_KEYS:
                figures.append(
                    _figure(
                        model,
                        MOBILECLIP_KEYS[key],
                        "datacomp-eval",
                        metrics["acc1"],
                        "fraction",
                        f"{where}, acc1",
                    )
                )
            if key in MOBILECLIP_RETRIEVAL:
                ds = MOBILECLIP_RETRIEVAL[key]
                for word, direction in (("image", "t2i"), ("text", "i2t")):
                    for k in (1, 5, 10):
                        field = f"{word}_retrieval_recall@{k}"
                        figures.append(
                            _figure(
                                model,
                                f"{ds}-{direction}-r{k}",
                                "datacomp-eval",
                                metrics[field],
                                "fraction",
                                f"{where}, {field}",
                            )
                        )
    source = _repo_source(
        "mobileclip-results",
        ("Apple (MobileCLIP authors)", "Apple（MobileCLIP 作者）"),
        "apple/ml-mobileclip",
        args.commit,
        "results/*.jsonl",
        url=f"https://github.com/apple/ml-mobileclip/tree/{args.commit}/results",
        note=(
            "One JSON line per dataset, as DataComp's evaluation writes it; file names map to the "
            "Hub ids of the README's download loop (apple/MobileCLIP-<size>, apple/MobileCLIP2-<size>).",
            "每个数据集一行 JSON，即 DataComp 评测代码写出的格式；"
            "文件名按 README 下载循环中的名称对应到 Hub id"
            "（apple/MobileCLIP-<尺寸>、apple/MobileCLIP2-<尺寸>）。",
        ),
    )
    return {"source": source, "figures": figures}


# --- MTEB / MIEB ---------------------------------------------------------------------------------

VIDORE1 = {
    "VidoreArxivQARetrieval": "arxivqa",
    "VidoreDocVQARetrieval": "docvqa",
    "VidoreInfoVQARetrieval": "infovqa",
    "VidoreTabfquadRetrieval": "tabfquad",
    "VidoreTatdqaRetrieval": "tatdqa",
    "VidoreShiftProjectRetrieval": "shiftproject",
    "VidoreSyntheticDocQAAIRetrieval": "syntheticdocqa-ai",
    "VidoreSyntheticDocQAEnergyRetrieval": "syntheticdocqa-energy",
    "VidoreSyntheticDocQAGovernmentReportsRetrieval": "syntheticdocqa-government",
    "VidoreSyntheticDocQAHealthcareIndustryRetrieval": "syntheticdocqa-healthcare",
}
VIDORE2 = {
    "Vidore2ESGReportsRetrieval": "esg-reports",
    "Vidore2EconomicsReportsRetrieval": "economics-reports",
    "Vidore2BioMedicalLecturesRetrieval": "biomedical-lectures",
    "Vidore2ESGReportsHLRetrieval": "esg-reports-hl",
}
# The query-language subsets (hf_subset) of the multilingual ViDoRe v2 tasks: one page corpus, queries
# in four languages. Each subset is a benchmark of its own; their mean (MTEB's task score) is derived.
VIDORE2_LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es"}
# task -> (benchmark, fields to try in order); every score is a fraction as the files print it
MTEB_TASKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Imagenet1kZeroShot": ("imagenet1k-zeroshot", ("accuracy",)),
    "MSCOCOT2IRetrieval": ("coco5k-t2i-r1", ("recall_at_1",)),
    "MSCOCOI2TRetrieval": ("coco5k-i2t-r1", ("cv_recall_at_1", "precision_at_1")),
    "Flickr30kT2IRetrieval": ("flickr30k-t2i-r1", ("recall_at_1",)),
    "Flickr30kI2TRetrieval": ("flickr30k-i2t-r1", ("cv_recall_at_1", "precision_at_1")),
    "AudioCapsT2ARetrieval": ("audiocaps-t2a-r1", ("recall_at_1",)),
    "AudioCapsA2TRetrieval": ("audiocaps-a2t-r1", ("cv_recall_at_1", "precision_at_1")),
    "ClothoT2ARetrieval": ("clotho-t2a-r1", ("recall_at_1",)),
    "ClothoA2TRetrieval": ("clotho-a2t-r1", ("cv_recall_at_1", "precision_at_1")),
    "ESC50_Zeroshot": ("esc50-zeroshot", ("accuracy",)),
    "ESC50": ("esc50-linear", ("accuracy",)),
    **{task: (f"vidore1-{slug}", ("ndcg_at_5",)) for task, slug in VIDORE1.items()},
    **{task: (f"vidore2-mteb-{slug}", ("ndcg_at_5",)) for task, slug in VIDORE2.items()},
}
# tasks whose figures are one per language subset: task -> {hf_subset: benchmark suffix}
MTEB_SUBSETS: dict[str, dict[str, str]] = {
    task: VIDORE2_LANGUAGES for task in VIDORE2 if task != "Vidore2ESGReportsHLRetrieval"
}
# ESC50 is a probe (a logistic regression fit on frozen embeddings of a few clips per class, 5-fold
# cross-validation), and how many clips per class it trains on changed between mteb versions: the
# protocol follows the file's mteb_version. Versions not listed here are left out (notice on stderr).
PROBE_TASKS = {"ESC50"}


def _probe_protocol(version: str) -> str | None:
    """The protocol of an MTEB audio-probe figure by the mteb version that produced it: the MAEB
    branch's AbsTaskAudioClassification in 1.38 (16 clips per class), AbsTaskClassification's
    default of 8 from 2.3 on; 2.0 to 2.2 straddle the change and are not mapped."""
    parts = version.split(".")
    if not all(p.isdigit() for p in parts[:2]) or len(parts) < 2:
        return None
    major, minor = int(parts[0]), int(parts[1])
    if (major, minor) == (1, 38):
        return "mteb1-audio-probe"
    if (major, minor) >= (2, 3):
        return "mteb2-audio-probe"
    return None


def _mteb_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}:1: not readable JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("scores"), dict):
        raise InputError(f"{path}:1: no 'scores' mapping")
    return data


def _mteb_scores(
    data: dict[str, Any], fields: tuple[str, ...], subsets: Iterable[str]
) -> dict[str, tuple[float, str, str]]:
    """hf_subset -> (score, split, field) for each wanted subset the file holds (first split found)."""
    wanted = list(subsets)
    out: dict[str, tuple[float, str, str]] = {}
    for split in ("test", "dev", "validation", "train"):
        for entry in data["scores"].get(split) or []:
            if not isinstance(entry, dict):
                continue
            subset = entry.get("hf_subset", "default")
            if subset not in wanted or subset in out:
                continue
            for field in fields:
                value = entry.get(field)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out[subset] = (float(value), split, field)
                    break
    return out


def _newest_revision(model_dir: Path) -> Path | None:
    """The revision folder with the most task files (ties: name order), for one result per model."""
    revisions = [d for d in sorted(model_dir.iterdir()) if d.is_dir()]
    if not revisions:
        return None
    return max(revisions, key=lambda d: (len(list(d.glob("*.json"))), d.name))


def _mteb_task_figures(model: str, task: str, path: Path, root: Path) -> list[Figure]:
    """The figures of one task file: one, or one per language subset plus their derived mean."""
    benchmark, fields = MTEB_TASKS[task]
    data = _mteb_file(path)
    rel = path.relative_to(root).as_posix()
    protocol = "mteb"
    if task in PROBE_TASKS:
        version = str(data.get("mteb_version", ""))
        probe = _probe_protocol(version)
        if probe is None:
            print(f"{rel}: mteb version {version!r} has no known probe setting; left out", file=sys.stderr)
            return []
        protocol = probe
    languages = MTEB_SUBSETS.get(task)
    if languages is None:
        found = _mteb_scores(data, fields, ("default", "eng-Latn", "en"))
        if not found:
            return []
        score, split, field = next(iter(found.values()))
        where = f"{rel}, scores.{split}[default].{field}"
        return [_figure(model, benchmark, protocol, round(score, 5), "fraction", where)]
    found = _mteb_scores(data, fields, languages)
    figures = []
    for subset, suffix in languages.items():
        if subset in found:
            score, split, field = found[subset]
            where = f"{rel}, scores.{split}[hf_subset {subset}].{field}"
            figures.append(
                _figure(model, f"{benchmark}-{suffix}", protocol, round(score, 5), "fraction", where)
            )
    if len(figures) == len(languages):
        mean = sum(f["score"] for f in figures) / len(figures)
        figures.append(
            {
                **_figure(
                    model,
                    benchmark,
                    protocol,
                    round(mean, 5),
                    "fraction",
                    f"mean of the {len(languages)} query-language subsets of {rel}",
                ),
                "kind": "derived",
                "derivation": "mean",
                "inputs": [{"benchmark": f["benchmark"], "protocol": protocol} for f in figures],
            }
        )
    return figures


def import_mteb(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    root = Path(args.files[0])
    figures: list[Figure] = []
    for model in sorted(known):
        folder = root / "results" / model.replace("/", "__")
        if not folder.is_dir():
            continue
        revision = _newest_revision(folder)
        if revision is None:
            continue
        vidore: list[Figure] = []
        for task in MTEB_TASKS:
            path = revision / f"{task}.json"
            if not path.is_file():
                continue
            found = _mteb_task_figures(model, task, path, root)
            figures += found
            vidore += [f for f in found if f["benchmark"].startswith("vidore1-")]
        if len(vidore) == len(VIDORE1):
            mean = sum(f["score"] for f in vidore) / len(vidore)
            figures.append(
                {
                    **_figure(
                        model,
                        "vidore1-average",
                        "mteb",
                        round(mean, 5),
                        "fraction",
                        f"mean of the 10 ViDoRe v1 task files of {revision.relative_to(root).as_posix()}",
                    ),
                    "kind": "derived",
                    "derivation": "mean",
                    "inputs": [{"benchmark": f["benchmark"], "protocol": "mteb"} for f in vidore],
                }
            )
    source = _repo_source(
        "mteb-results",
        ("MTEB maintainers (embeddings-benchmark)", "MTEB 维护者（embeddings-benchmark）"),
        "embeddings-benchmark/results",
        args.commit,
        "results/<org>__<name>/<revision>/<Task>.json",
        url=f"https://github.com/embeddings-benchmark/results/tree/{args.commit}/results",
        third_party=True,
        note=(
            "Per model, the revision folder holding the most task files; scores are fractions as the "
            "files print them. Image-to-text and audio-to-text R@1 is the hit rate (cv_recall_at_1 or "
            "precision_at_1). The multilingual ViDoRe v2 tasks give one figure per query-language "
            "subset (hf_subset english, french, german, spanish); their mean, MTEB's task score, is "
            "derived here. ESC50 is a logistic-regression probe whose protocol follows the file's "
            "mteb_version; ESC50_Zeroshot is zero-shot.",
            "每个模型取任务文件最多的那个修订版本文件夹；分数按文件原样记为小数。"
            "图像到文本、音频到文本的 R@1 取命中率（cv_recall_at_1 或 precision_at_1）。"
            "多语言的 ViDoRe v2 任务按查询语言子集（hf_subset 为 english、french、german、spanish）"
            "各记一条结果；四者的平均即 MTEB 的任务分数，由本站计算。"
            "ESC50 是逻辑回归探测，其评测方案按文件中的 mteb_version 区分；ESC50_Zeroshot 为零样本。",
        ),
    )
    return {"source": source, "figures": figures}


# --- Chinese CLIP (HTML tables in Results.md) ----------------------------------------------------


class _Tables(HTMLParser):
    """Rows of every <table>, cells expanded over their colspan, with the line each row starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[tuple[int, list[str]]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append((self.getpos()[0], []))
        elif tag in ("td", "th"):
            self._cell = []
            self._span = int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1][1].extend(["".join(self._cell).strip()] * self._span)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


CN_CLIP_MODELS = {
    "CN-CLIPRN50": "OFA-Sys/chinese-clip-rn50",
    "CN-CLIPViT-B/16": "OFA-Sys/chinese-clip-vit-base-patch16",
    "CN-CLIPViT-L/14": "OFA-Sys/chinese-clip-vit-large-patch14",
    "CN-CLIPViT-L/14@336px": "OFA-Sys/chinese-clip-vit-large-patch14-336px",
    "CN-CLIPViT-H/14": "OFA-Sys/chinese-clip-vit-huge-patch14",
}
CN_TABLES = {"MUGE": "muge", "Flickr30K-CN": "flickr30k-cn", "COCO-CN": "coco-cn"}


def import_chinese_clip(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    path = Path(args.files[0])
    text = path.read_text(encoding="utf-8")
    parser = _Tables()
    parser.feed(text)
    titles = [line for line in text.splitlines() if line.startswith("**") and "<table" not in line]
    figures: list[Figure] = []
    for title, table in zip(titles, parser.tables, strict=False):
        dataset = next((slug for name, slug in CN_TABLES.items() if title.startswith(f"**{name} ")), None)
        if dataset is None:
            continue
        header = {row[0]: row for _, row in table if row and row[0] in ("Task", "Setup", "Metric")}
        if "Setup" not in header or "Metric" not in header:
            raise InputError(f"{path}:{table[0][0]}: table {title!r} has no Setup/Metric rows")
        for line, row in table:
            model = CN_CLIP_MODELS.get(row[0] if row else "")
            if model is None or model not in known:
                continue
            for col in range(1, len(row)):
                metric = header["Metric"][col]
                task = header.get("Task", ["Text-to-Image"] * len(row))[col]
                setup = header["Setup"][col]
                direction = "t2i" if task.startswith("Text") else "i2t"
                k = metric.removeprefix("R@")
                benchmark = f"{dataset}-{direction}-mr" if metric == "MR" else f"{dataset}-{direction}-r{k}"
                protocol = "chinese-clip-zeroshot" if setup == "Zero-shot" else "chinese-clip-finetuned"
                try:
                    score = float(row[col])
                except ValueError:
                    raise InputError(f"{path}:{line}: {row[col]!r} is not a number") from None
                table_name = title.strip("*: ")
                where = (
                    f"Results.md line {line}, table '{table_name}', row {row[0]}, {task} / {setup} / {metric}"
                )
                figures.append(_figure(model, benchmark, protocol, score, "percent", where))
    source = _repo_source(
        "chinese-clip-results",
        ("OFA-Sys (Chinese CLIP authors)", "OFA-Sys（Chinese CLIP 作者）"),
        "OFA-Sys/Chinese-CLIP",
        args.commit,
        "Results.md",
    )
    return {"source": source, "figures": figures}


# --- README tables (vendor-reported) -------------------------------------------------------------


def _html_rows(path: Path, first: str, table: int | None = None) -> list[tuple[int, list[str]]]:
    """Rows whose first cell starts with ``first`` of every HTML table of ``path`` (or only of the
    ``table``-th, counting from 0)."""
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    tables = parser.tables if table is None else parser.tables[table : table + 1]
    return [(line, row) for rows in tables for line, row in rows if row and row[0].startswith(first)]


def _number(path: Path, line: int, cell: str) -> float:
    try:
        return float(cell.strip().rstrip("%"))
    except ValueError:
        raise InputError(f"{path}:{line}: {cell!r} is not a number") from None


def _repo_source(
    sid: str,
    reporter: tuple[str, str],
    repo: str,
    commit: str,
    path: str,
    *,
    url: str | None = None,
    third_party: bool = False,
    note: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The ``source`` block of a file read from a repository at a commit (``url``: the file's link
    when it is not ``blob/<commit>/<path>``)."""
    source: dict[str, Any] = {
        "id": sid,
        "reporter": {"en": reporter[0], "zh": reporter[1]},
        "third_party": third_party,
        "url": url or f"https://github.com/{repo}/blob/{commit}/{path}",
        "repository": repo,
        "commit": commit,
        "path": path,
        "imported_by": f"python scripts/import_results.py {sid.removesuffix('-results')}",
    }
    if note is not None:
        source["note"] = {"en": note[0], "zh": note[1]}
    return source


SIGLIP2_SIZES = {"B": "base", "L": "large", "So400m": "so400m", "g-opt": "giant-opt"}


def import_siglip2(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """big_vision's README_siglip2.md: one markdown row per checkpoint (ViT, resolution)."""
    path = Path(args.files[0])
    figures: list[Figure] = []
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if len(cells) < 7 or not cells[0].startswith("SigLIP 2"):
            continue
        size, _, patch = cells[1].partition("/")
        naflex = "NaFlex" in cells[0]
        model = f"google/siglip2-{SIGLIP2_SIZES.get(size, size.lower())}-patch{patch}-" + (
            "naflex" if naflex else cells[2]
        )
        if model not in known:
            continue
        note = {
            "en": "The README's COCO columns do not name the recall cut-off."
            + (
                " NaFlex: variable resolution, the README does not state the sequence length."
                if naflex
                else ""
            ),
            "zh": "README 的 COCO 栏没有写明召回的截断位置。"
            + ("NaFlex：分辨率可变，README 未写明所用的序列长度。" if naflex else ""),
        }
        where = f"README_siglip2.md line {line} ({cells[0]} {cells[1]} {cells[2]})"
        for col, bench in ((4, "imagenet1k-zeroshot"), (5, "coco5k-t2i-recall"), (6, "coco5k-i2t-recall")):
            fig = _figure(
                model, bench, "bigvision-zeroshot", _number(path, line, cells[col]), "percent", where
            )
            if bench != "imagenet1k-zeroshot" or naflex:
                fig["note"] = note
            figures.append(fig)
    source = _repo_source(
        "siglip2-results",
        ("Google (SigLIP 2 authors)", "Google（SigLIP 2 作者）"),
        "google-research/big_vision",
        args.commit,
        "big_vision/configs/proj/image_text/README_siglip2.md",
    )
    return {"source": source, "figures": figures}


DINOV2_SIZES = {"ViT-S/14": "small", "ViT-B/14": "base", "ViT-L/14": "large", "ViT-g/14": "giant"}


def import_dinov2(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """facebookresearch/dinov2 README: ImageNet k-NN and linear per backbone, with and without registers."""
    path = Path(args.files[0])
    figures: list[Figure] = []
    for line, row in _html_rows(path, "ViT-"):
        if len(row) < 5 or "params" in row[1]:
            continue
        size = DINOV2_SIZES.get(row[0].removesuffix(" distilled"))
        if size is None or row[2] not in (":x:", ":white_check_mark:"):
            continue
        model = (
            f"facebook/dinov2-with-registers-{size}"
            if row[2] == ":white_check_mark:"
            else f"facebook/dinov2-{size}"
        )
        if model not in known:
            continue
        registers = "yes" if "check" in row[2] else "no"
        where = f"README.md line {line} (Pretrained models: {row[0]}, registers {registers})"
        figures.append(
            _figure(model, "imagenet1k-knn", "dinov2-frozen", _number(path, line, row[3]), "percent", where)
        )
        figures.append(
            _figure(
                model, "imagenet1k-linear", "dinov2-frozen", _number(path, line, row[4]), "percent", where
            )
        )
    source = _repo_source(
        "dinov2-results",
        ("Meta AI (DINOv2 authors)", "Meta AI（DINOv2 作者）"),
        "facebookresearch/dinov2",
        args.commit,
        "README.md",
    )
    return {"source": source, "figures": figures}


DINOV3_VIT = {
    "ViT-S/16": "vits16",
    "ViT-S+/16": "vits16plus",
    "ViT-B/16": "vitb16",
    "ViT-L/16": "vitl16",
    "ViT-H+/16": "vith16plus",
    "ViT-7B/16": "vit7b16",
}
DINOV3_COLUMNS = {
    1: "imagenet-real-linear",
    2: "imagenet-r-linear",
    3: "objectnet-linear",
    5: "ade20k-linear",
}


def import_dinov3(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """facebookresearch/dinov3 MODEL_CARD.md, the first table (ViT backbones on LVD-1689M)."""
    path = Path(args.files[0])
    figures: list[Figure] = []
    # the first table only: the later ones are the satellite (SAT-493M) and distilled ConvNeXt backbones
    for line, row in _html_rows(path, "DINOv3 ViT-", table=0):
        arch = DINOV3_VIT.get(row[0].removeprefix("DINOv3 "))
        if arch is None or len(row) < 6:
            continue
        model = f"facebook/dinov3-{arch}-pretrain-lvd1689m"
        if model not in known:
            continue
        for col, bench in DINOV3_COLUMNS.items():
            where = f"MODEL_CARD.md line {line} (ViT backbones on LVD-1689M, row {row[0]}, column {col + 1})"
            figures.append(
                _figure(model, bench, "dinov3-frozen", _number(path, line, row[col]), "percent", where)
            )
    source = _repo_source(
        "dinov3-results",
        ("Meta AI (DINOv3 authors)", "Meta AI（DINOv3 作者）"),
        "facebookresearch/dinov3",
        args.commit,
        "MODEL_CARD.md",
    )
    return {"source": source, "figures": figures}


def import_aimv2(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """apple/ml-aim README: frozen-trunk ImageNet-1k top-1 (attentive probe) per checkpoint."""
    path = Path(args.files[0])
    figures: list[Figure] = []
    for line, row in _html_rows(path, "aimv2-"):
        if len(row) < 3:
            continue
        model = f"apple/{row[0]}"
        if model not in known:
            continue
        try:
            score = float(row[2])
        except ValueError:
            continue  # the distilled and LiT tables carry other columns
        where = f"README.md line {line} (Pre-trained checkpoints: {row[0]}, column IN-1k)"
        figures.append(_figure(model, "imagenet1k-attentive", "aimv2-frozen", score, "percent", where))
    source = _repo_source(
        "aimv2-results",
        ("Apple (AIMv2 authors)", "Apple（AIMv2 作者）"),
        "apple/ml-aim",
        args.commit,
        "README.md",
    )
    return {"source": source, "figures": figures}


PE_CORE = {
    "IN-1k": "imagenet1k-zeroshot",
    "IN-v2": "imagenet-v2-zeroshot",
    "IN-A": "imagenet-a-zeroshot",
    "ObjectNet": "objectnet-zeroshot",
    "COCO-T2I": "coco5k-t2i-recall",
}


def _md_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Cells of every markdown table row of ``path``, with its line."""
    rows = []
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.strip().startswith("|"):
            rows.append((line, [c.strip() for c in text.strip().strip("|").split("|")]))
    return rows


def _linked_repo(cell: str) -> str | None:
    found = re.search(r"huggingface\.co/([A-Za-z0-9._-]+/[A-Za-z0-9._-]+)\)", cell)
    return found.group(1) if found else None


def import_pe(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """perception_models apps/pe/README.md: PE-Core zero-shot (ImageNet variants, COCO), PE-Spatial ADE20k."""
    path = Path(args.files[0])
    figures: list[Figure] = []
    header: list[str] = []
    for line, cells in _md_rows(path):
        if "Checkpoint" in cells:
            header = cells
            continue
        model = next((_linked_repo(c) for c in cells if _linked_repo(c)), None)
        if model is None or model not in known or not header:
            continue
        for col, name in enumerate(header):
            bench = PE_CORE.get(name) if model.split("/")[1].startswith("PE-Core") else None
            if name.startswith("ADE20k") and model.split("/")[1].startswith("PE-Spatial"):
                bench = "ade20k-linear"
            if bench is None or col >= len(cells):
                continue
            column = name.split("<")[0].strip()
            where = f"apps/pe/README.md line {line} ({model.split('/')[1]}, column '{column}')"
            fig = _figure(model, bench, "pe-readme", _number(path, line, cells[col]), "percent", where)
            if bench == "coco5k-t2i-recall":
                fig["note"] = {
                    "en": "The README's COCO-T2I column does not name the recall cut-off.",
                    "zh": "README 的 COCO-T2I 栏没有写明召回的截断位置。",
                }
            figures.append(fig)
    source = _repo_source(
        "pe-results",
        ("Meta FAIR (Perception Encoder authors)", "Meta FAIR（Perception Encoder 作者）"),
        "facebookresearch/perception_models",
        args.commit,
        "apps/pe/README.md",
    )
    return {"source": source, "figures": figures}


def import_colpali(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """illuin-tech/colpali README: the ViDoRe leaderboard score it quotes for each retriever."""
    path = Path(args.files[0])
    figures: list[Figure] = []
    for line, cells in _md_rows(path):
        if len(cells) < 2:
            continue
        model = _linked_repo(cells[0])
        if model is None or model not in known:
            continue
        where = f"README.md line {line} (model table, row {model}, column 'Score on ViDoRe')"
        figures.append(
            _figure(
                model, "vidore-leaderboard", "vidore-readme", _number(path, line, cells[1]), "percent", where
            )
        )
    source = _repo_source(
        "colpali-results",
        ("Illuin Technology (ColPali authors)", "Illuin Technology（ColPali 作者）"),
        "illuin-tech/colpali",
        args.commit,
        "README.md",
        third_party=True,
        note=(
            "The README quotes each model's score on the ViDoRe leaderboard, including models by other "
            "teams (third-party for those, vendor figures for the vidore/ models).",
            "README 引用各模型在 ViDoRe 排行榜上的分数，其中也包括其他团队的模型"
            "（对这些模型而言是第三方数据，对 vidore/ 模型是模型方数据）。",
        ),
    )
    return {"source": source, "figures": figures}


# --- MMEB-V2 (VLM2Vec score files) ---------------------------------------------------------------

MMEB_MODELS = {
    "gme-Qwen2-VL-2B-Instruct": "Alibaba-NLP/gme-Qwen2-VL-2B-Instruct",
    "gme-Qwen2-VL-7B-Instruct": "Alibaba-NLP/gme-Qwen2-VL-7B-Instruct",
    "colpali-v1.3": "vidore/colpali-v1.3",
    "VLM2Vec-V2.0-Qwen2VL-2B": "VLM2Vec/VLM2Vec-V2.0",
    "VLM2Vec-V1-Qwen2VL-2B": "TIGER-Lab/VLM2Vec-Qwen2VL-2B",
    "VLM2Vec-V1-Qwen2VL-7B": "TIGER-Lab/VLM2Vec-Qwen2VL-7B",
}
MMEB_VIDORE = {
    "ViDoRe_arxivqa": "arxivqa",
    "ViDoRe_docvqa": "docvqa",
    "ViDoRe_infovqa": "infovqa",
    "ViDoRe_tabfquad": "tabfquad",
    "ViDoRe_tatdqa": "tatdqa",
    "ViDoRe_shiftproject": "shiftproject",
    "ViDoRe_syntheticDocQA_artificial_intelligence": "syntheticdocqa-ai",
    "ViDoRe_syntheticDocQA_energy": "syntheticdocqa-energy",
    "ViDoRe_syntheticDocQA_government_reports": "syntheticdocqa-government",
    "ViDoRe_syntheticDocQA_healthcare_industry": "syntheticdocqa-healthcare",
}


# ViDoRe v2 as VLM2Vec runs it: the human-labelled ESG set as MTEB has it, and the three multilingual
# sets with the queries of all four languages pooled into one run (not per language, not a mean of them)
MMEB_VIDORE2 = {
    "ViDoRe_esg_reports_human_labeled_v2": "vidore2-mteb-esg-reports-hl",
    "ViDoRe_esg_reports_v2_multilingual": "vidore2-mteb-esg-reports-pooled",
    "ViDoRe_economics_reports_v2_multilingual": "vidore2-mteb-economics-reports-pooled",
    "ViDoRe_biomedical_lectures_v2_multilingual": "vidore2-mteb-biomedical-lectures-pooled",
}


def _mmeb_slug(name: str) -> str:
    return "mmeb2-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def import_mmeb(args: argparse.Namespace, known: set[str]) -> dict[str, Any]:
    """VLM2Vec's per-model MMEB-V2 score files: image tasks (hit@1) and ViDoRe v1 (nDCG@5)."""
    figures: list[Figure] = []
    folder = ""
    for name in args.files:
        path = Path(name)
        model = MMEB_MODELS.get(path.stem)
        if model is None or model not in known:
            continue
        folder = path.parent.name
        try:
            metrics = json.loads(path.read_text(encoding="utf-8"))["metrics"]
            image, visdoc = metrics["image"], metrics.get("visdoc", {})
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}:1: not a VLM2Vec score file (metrics.image missing)") from None
        rel = f"experiments/public/all_scores/{folder}/{path.name}"
        tasks: list[Figure] = []
        for task, scores in image.items():
            if not isinstance(scores, dict) or not isinstance(scores.get("hit@1"), int | float):
                raise InputError(f"{path}:1: metrics.image.{task}.hit@1 is not a number")
            fig = _figure(
                model,
                _mmeb_slug(task),
                "mmeb-v2",
                scores["hit@1"],
                "fraction",
                f"{rel}, metrics.image.{task}.hit@1",
            )
            tasks.append(fig)
        figures += tasks
        if len(tasks) == 36:
            mean = round(sum(f["score"] for f in tasks) / len(tasks), 6)
            figures.append(
                {
                    **_figure(
                        model,
                        "mmeb2-image-average",
                        "mmeb-v2",
                        mean,
                        "fraction",
                        f"mean of the 36 image tasks of {rel}",
                    ),
                    "kind": "derived",
                    "derivation": "mean",
                    "inputs": [{"benchmark": f["benchmark"], "protocol": "mmeb-v2"} for f in tasks],
                }
            )
        visdoc_benchmarks = {task: f"vidore1-{slug}" for task, slug in MMEB_VIDORE.items()} | MMEB_VIDORE2
        for task, benchmark in visdoc_benchmarks.items():
            scores = visdoc.get(task)
            if isinstance(scores, dict) and isinstance(scores.get("ndcg_linear@5"), int | float):
                where = f"{rel}, metrics.visdoc.{task}.ndcg_linear@5"
                figures.append(
                    _figure(model, benchmark, "mmeb-v2", scores["ndcg_linear@5"], "fraction", where)
                )
    scores_dir = f"experiments/public/all_scores/{folder}"
    source = _repo_source(
        "mmeb-results",
        ("TIGER-Lab (MMEB / VLM2Vec authors)", "TIGER-Lab（MMEB / VLM2Vec 作者）"),
        "TIGER-AI-Lab/VLM2Vec",
        args.commit,
        f"{scores_dir}/<model>.json",
        url=f"https://github.com/TIGER-AI-Lab/VLM2Vec/tree/{args.commit}/{scores_dir}",
        third_party=True,
        note=(
            "Score files name the model, not its Hub id; the importer maps the six it knows "
            "(GME 2B and 7B, ColPali v1.3, VLM2Vec V1 2B and 7B, VLM2Vec V2.0). TIGER-Lab also made "
            "VLM2Vec, so its own rows are vendor figures in a benchmark's harness.",
            "分数文件只写模型名而不是 Hub id；导入脚本对应其已知的六个模型"
            "（GME 2B 与 7B、ColPali v1.3、VLM2Vec V1 2B 与 7B、VLM2Vec V2.0）。"
            "VLM2Vec 也出自 TIGER-Lab，因此其自身的结果是在基准评测框架中的模型方结果。",
        ),
    )
    return {"source": source, "figures": figures}


# --- writing -------------------------------------------------------------------------------------


def _figure(model: str, benchmark: str, protocol: str, score: float, unit: str, where: str) -> Figure:
    return {
        "model": model,
        "benchmark": benchmark,
        "protocol": protocol,
        "score": score,
        "unit": unit,
        "where": where,
    }


IMPORTERS: dict[str, Callable[[argparse.Namespace, set[str]], dict[str, Any]]] = {
    "openclip": import_openclip,
    "mobileclip": import_mobileclip,
    "mteb": import_mteb,
    "chinese-clip": import_chinese_clip,
    "siglip2": import_siglip2,
    "dinov2": import_dinov2,
    "dinov3": import_dinov3,
    "aimv2": import_aimv2,
    "mmeb": import_mmeb,
    "pe": import_pe,
    "colpali": import_colpali,
}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(data: dict[str, Any]) -> str:
    """The catalogue file's text: figures sorted by model, benchmark and protocol."""
    data = {
        **data,
        "figures": sorted(data["figures"], key=lambda f: (f["model"], f["benchmark"], f["protocol"])),
    }
    head = (
        "# yaml-language-server: $schema=../../schema/result-file.schema.json\n"
        f"# Written by `{data['source'].get('imported_by', 'hand')}`: re-run it rather than edit by hand.\n"
    )
    return head + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", choices=sorted(IMPORTERS))
    parser.add_argument("--commit", required=True, help="the 40-hex commit the input files were read at")
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    try:
        catalog = load_catalog(args.catalog)
    except CatalogInvalid as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        data = IMPORTERS[args.source](args, set(catalog.model_map))
    except (InputError, OSError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not data["figures"]:
        print(f"{args.source}: no figure for a catalogued model; nothing written")
        return 0
    out = args.catalog / "quality" / "reported" / f"{data['source']['id']}.yaml"
    write_text_atomic(out, render(data))
    models = len({f["model"] for f in data["figures"]})
    print(f"{out}: {len(data['figures'])} figures for {models} models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
