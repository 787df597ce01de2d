"""The one schema of the catalogue: pydantic models, no I/O.

Every file under ``catalog/`` is validated against one of the models below.
Field descriptions here are exported to the JSON Schema that editors use, so
they double as the contributor's reference.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from generator.catalog.recipes import RECIPES

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_HAN_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# Full-width punctuation: CJK symbols (、。「」…), full-width forms (，；：！？（）), curly quotes, dashes.
_FULLWIDTH_CLASS = (
    r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    r"\u2014\u2026\u201c\u201d\u2018\u2019]"
)
ZH_SPACING = re.compile(rf"{_HAN_CLASS} +{_HAN_CLASS}|{_FULLWIDTH_CLASS} +| +{_FULLWIDTH_CLASS}")


def zh_spacing_error(value: str) -> str | None:
    """Why ``value`` (Chinese text) breaks the spacing rule, or None.

    No ASCII space between two Chinese characters or next to full-width
    punctuation: such a space is usually a folded YAML line joined back with
    a space ("训练， 使").
    """
    found = ZH_SPACING.search(value)
    if found is None:
        return None
    start = max(0, found.start() - 6)
    return f"stray ASCII space in Chinese text near {value[start : found.end() + 6]!r}"


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
RepoId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
Url = Annotated[
    str,
    StringConstraints(
        pattern=r"^https?://[^\s<>\"'()\[\]|\\`{}\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+$"
    ),
    Field(
        description="An http(s) URL without spaces, quotes, brackets, parentheses or invisible characters."
    ),
]
Sha = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")]
# Characters no text of an entry may hold: C0/C1 controls other than tab and line breaks, and the
# bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make a name read
# differently from what it is.
HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(value: str) -> str:
    found = HIDDEN.search(value)
    if found is not None:
        raise ValueError(
            f"holds the invisible character U+{ord(found.group()):04X} at position {found.start()} "
            "(a control or bidirectional-override character): remove it"
        )
    return value


# The longest text of the catalogue is about 700 characters; 5,000 leaves room and stops a runaway paste.
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), AfterValidator(_visible)
]
ClassName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=200),
    Field(
        description="A Python class name: for the transformers and sentence-transformers loaders "
        "(without remote code), a model class transformers exports (CLIPModel, Dinov2Model, ...)."
    ),
]
Modality = Literal["image", "text", "audio", "video", "depth", "thermal", "imu"]
Fact = Literal[
    "dim",
    "shape",
    "parameters",
    "license",
    "release_date",
    "paper",
    "code",
    "hub",
    "architecture",
    "modalities",
    "organization",
    "revision",
    "status",
    "matryoshka",
    "languages",
    "other",
]


def _known_recipe(value: str) -> str:
    if value not in RECIPES:
        raise ValueError(f"unknown recipe {value!r}; known: {', '.join(RECIPES)}")
    return value


RecipeName = Annotated[str, AfterValidator(_known_recipe), WithJsonSchema({"enum": list(RECIPES)})]


class Strict(BaseModel):
    """Base: unknown fields are errors."""

    # strict: no coercion (dim: true is not 1, "384" is not 384).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Label(Strict):
    """A short name in both languages (may be the same, e.g. a product name)."""

    en: Text
    zh: Text

    @field_validator("en")
    @classmethod
    def _english(cls, value: str) -> str:
        if HAN.search(value):
            raise ValueError("the English text contains Chinese characters")
        return value

    @field_validator("zh")
    @classmethod
    def _zh_spacing(cls, value: str) -> str:
        error = zh_spacing_error(value)
        if error:
            raise ValueError(error)
        return value


class Prose(Label):
    """A sentence or more in both languages: each in its own language."""

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: str) -> str:
        if not HAN.search(value):
            raise ValueError("the Chinese text contains no Chinese characters")
        return value


class Source(Strict):
    """Where one or more facts of an entry come from (a primary source)."""

    facts: list[Fact] = Field(min_length=1, description="Which facts this source supports.")
    url: Url
    note: Prose | None = Field(None, description="What the source shows, or a correction made.")


class Links(Strict):
    """Links of an entry; all optional."""

    hub: Url | None = None
    code: Url | None = None
    paper: Url | None = None
    project: Url | None = None


class InputSpec(Strict):
    """The input at which a dim or token-grid shape holds."""

    image_size: int | None = Field(None, gt=0, description="Square image side in pixels.")
    text_tokens: int | None = Field(None, gt=0, description="Text length in tokens.")


class Embedding(Strict):
    """One embedding output of a model."""

    name: Slug = Field(description="Short output name: cls, patch, image, text, audio, ...")
    modality: Modality
    dim: int = Field(gt=0, description="Length of one embedding vector.")
    shape: list[Annotated[int, Field(gt=0)]] | None = Field(
        None, description="Token grid [tokens, dim] at the stated input, when not one vector."
    )
    recipe: RecipeName = Field(description="Named recipe saying which tensor is the embedding.")
    input: InputSpec | None = None
    multi_vector: bool = Field(
        False,
        description="One `dim`-sized vector per input token or image patch (late interaction, as in ColBERT "
        "and ColPali): the output has shape tokens x dim, and the number of tokens follows the input "
        "(image resolution, text length), so no fixed `shape` is given. `dim` is the size of each vector.",
    )
    matryoshka: list[Annotated[int, Field(gt=0)]] | None = Field(
        None,
        min_length=1,
        description="Matryoshka (truncatable) sizes the model was trained for: the first k values of the "
        "vector, re-normalised, are an embedding of size k. Descending, unique, each <= dim; "
        "needs a source with the fact 'matryoshka'.",
    )

    @model_validator(mode="after")
    def _shape_ends_in_dim(self) -> Embedding:
        if self.shape is not None and (len(self.shape) < 2 or self.shape[-1] != self.dim):
            raise ValueError(f"shape must be [tokens, ..., dim] ending in dim {self.dim}")
        return self

    @model_validator(mode="after")
    def _multi_vector_has_no_grid(self) -> Embedding:
        if self.multi_vector and self.shape is not None:
            raise ValueError(
                "a multi_vector output has one vector per input token: give dim, not a fixed shape"
            )
        if self.multi_vector and self.matryoshka is not None:
            raise ValueError("matryoshka sizes apply to a single vector, not to a multi_vector output")
        return self

    @model_validator(mode="after")
    def _matryoshka_sizes(self) -> Embedding:
        sizes = self.matryoshka
        if sizes is not None:
            if any(k > self.dim for k in sizes):
                raise ValueError(f"matryoshka sizes must each be <= dim {self.dim}")
            if any(a <= b for a, b in itertools.pairwise(sizes)):
                raise ValueError("matryoshka sizes must be unique and in descending order")
            if self.shape is not None:
                raise ValueError("matryoshka sizes apply to a single vector, not to a token grid (shape)")
        return self


# Loaders whose models the checks build themselves; any other loader is checked only through a
# named in-library equivalent (``source.equivalent_architecture``).
RUNNABLE_LOADERS = ("transformers", "sentence-transformers")
Loader = Literal["transformers", "sentence-transformers", "open_clip", "other"]


class ModelSource(Strict):
    """How the model is obtained and built."""

    hub_id: RepoId | None = Field(description="Hugging Face repo id; null when not on the Hub.")
    revision: Sha | None = Field(None, description="Pinned 40-hex commit sha.")
    loader: Loader
    architecture: ClassName | None = Field(
        None,
        description="Class that builds the model in its loader: a transformers model class for the "
        "transformers and sentence-transformers loaders, the loader's own class otherwise (e.g. CoCa).",
    )
    equivalent_architecture: ClassName | None = Field(
        None,
        description="Only for a loader the checks cannot run (open_clip, other): the transformers model "
        "class whose architecture is the same as the checkpoint's (e.g. CLIPModel for an open_clip ViT "
        "with class-token pooling and a causal EOT-pooled text tower, SiglipModel for timm's SigLIP "
        "towers). The config and runtime tiers build this class from the config recorded in "
        "lock/hub.json (reconstructed field by field from the loader's own model config), not the "
        "loader's code; the weights tier is not run. Without it such an entry is never checked.",
    )
    trust_remote_code: bool = False
    code_revisions: dict[RepoId, Sha] = Field(
        default_factory=dict,
        description=(
            "Pinned 40-hex commit of each other repository whose code the config's auto_map loads "
            "(e.g. jinaai/jina-clip-implementation); remote code is never run unpinned."
        ),
    )

    @field_validator("equivalent_architecture")
    @classmethod
    def _equivalent_needs_other_loader(cls, value: str | None, info: ValidationInfo) -> str | None:
        loader = info.data.get("loader")
        if value is not None and loader in RUNNABLE_LOADERS:
            raise ValueError(
                f"loader {loader} builds its own class: name it in source.architecture; "
                "equivalent_architecture is for loaders the checks cannot run (open_clip, other)"
            )
        return value

    @model_validator(mode="after")
    def _remote_code_is_pinned(self) -> ModelSource:
        if self.equivalent_architecture is not None and self.trust_remote_code:
            raise ValueError(
                "equivalent_architecture names an in-library class: it cannot need remote code "
                "(set trust_remote_code: false)"
            )
        if self.trust_remote_code and self.revision is None:
            raise ValueError("trust_remote_code: true needs a pinned 40-hex revision")
        if self.code_revisions and not self.trust_remote_code:
            raise ValueError("code_revisions pin remote code: set trust_remote_code: true or remove them")
        return self


def _no_repeats(value: Any) -> Any:
    """A list that names the same thing twice (``modalities: [image, image]``) is an error."""
    if isinstance(value, list):
        seen = set()
        for item in value:
            key = item.casefold() if isinstance(item, str) else repr(item)
            if key in seen:
                raise ValueError(f"{item!r} is listed more than once")
            seen.add(key)
    return value


def _real_date(value: Any) -> Any:
    """``YYYY-MM-DD`` text must be a day of the calendar (not 2023-02-30)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a day of the calendar") from None
    return value


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


DateText = Annotated[str, StringConstraints(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])(-\d\d)?$")]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class Multilingual(Strict):
    """A text side trained for many languages: how many, and those the source lists by name."""

    multilingual: int = Field(gt=1, description="How many languages the source says the text side handles.")
    listed: list[LangCode] = Field(
        default_factory=list, description="ISO 639 codes the source names explicitly (e.g. zh, ja)."
    )


LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "en": ("English", "英语"),
    "zh": ("Chinese", "中文"),
    "ja": ("Japanese", "日语"),
    "ko": ("Korean", "韩语"),
    "fr": ("French", "法语"),
    "de": ("German", "德语"),
    "es": ("Spanish", "西班牙语"),
    "it": ("Italian", "意大利语"),
    "pt": ("Portuguese", "葡萄牙语"),
    "ru": ("Russian", "俄语"),
    "ar": ("Arabic", "阿拉伯语"),
    "hi": ("Hindi", "印地语"),
    "vi": ("Vietnamese", "越南语"),
    "th": ("Thai", "泰语"),
    "id": ("Indonesian", "印尼语"),
    "tr": ("Turkish", "土耳其语"),
    "pl": ("Polish", "波兰语"),
    "nl": ("Dutch", "荷兰语"),
}


class Model(Strict):
    """One model: catalog/models/<org>/<name>.yaml."""

    id: RepoId = Field(description="Equals the path below catalog/models/ (the Hub id).")
    name: Text
    organization: Text
    series: Slug
    category: Slug
    modalities: list[Modality] = Field(min_length=1)
    summary: Prose
    status: Literal["checkable", "no-public-weights", "not-checkable"]
    status_reason: Prose | None = None
    source: ModelSource
    license: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.+-]*$")]
    license_name: Text | None = Field(
        None,
        description="The licence's own name when `license` is 'other', e.g. 'Gemma Terms of Use'.",
    )
    gated: bool | None = Field(
        None,
        description="The Hub repository asks users to accept terms before downloading (None: not known).",
    )
    languages: list[LangCode] | Multilingual | None = Field(
        None,
        description="Languages the text side reads: ISO 639 codes ([en, zh]), or "
        "{multilingual: N, listed: [...]}; None for models without a text side.",
    )
    release_date: DateText | None = Field(
        None,
        description="First public release of the weights (YYYY-MM or YYYY-MM-DD): the earliest of the "
        "official release (announcement, README link, GitHub release) and the first public upload, not a "
        "later re-upload or mirror.",
    )
    parameters: int | None = Field(None, gt=0, description="Declared parameter count.")
    parameters_note: Prose | None = Field(
        None,
        description="Why the declared parameters differ from the count the config tier builds "
        "(required when they differ by more than 1 %), e.g. the LM head is not part of the embedding model.",
    )
    links: Links = Links()
    papers: list[Slug] = []
    embeddings: list[Embedding]
    sources: list[Source] = Field(min_length=1)

    _date = field_validator("release_date", mode="before")(_iso_date)
    _real = field_validator("release_date", mode="after")(_real_date)
    _repeats = field_validator("modalities", "papers", mode="after")(_no_repeats)

    @model_validator(mode="after")
    def _consistent(self) -> Model:
        if (self.status == "checkable") == (self.status_reason is not None):
            raise ValueError("status_reason is required exactly when status is not 'checkable'")
        if self.status == "checkable":
            if self.source.hub_id is None:
                raise ValueError("a checkable model needs source.hub_id")
            if not self.embeddings:
                raise ValueError("a checkable model declares at least one embedding")
            if any(not RECIPES[e.recipe].runnable for e in self.embeddings):
                raise ValueError("a checkable model cannot use the 'declared' recipe")
        if self.parameters_note is not None and self.parameters is None:
            raise ValueError("parameters_note explains declared parameters: give parameters too")
        names = [e.name for e in self.embeddings]
        if len(set(names)) != len(names):
            raise ValueError("embedding names must be unique")
        for emb in self.embeddings:
            if emb.modality not in self.modalities:
                raise ValueError(f"embedding {emb.name!r} has a modality not in modalities")
            per_token = RECIPES[emb.recipe].multi_vector
            if per_token and not emb.multi_vector:
                raise ValueError(
                    f"embedding {emb.name!r}: recipe {emb.recipe} gives one vector per token: "
                    "set multi_vector: true"
                )
            if emb.multi_vector and RECIPES[emb.recipe].runnable and not per_token:
                raise ValueError(
                    f"embedding {emb.name!r}: multi_vector needs a per-token recipe "
                    f"(e.g. late_interaction), not {emb.recipe}"
                )
        self._check_sourced()
        return self

    def _check_sourced(self) -> None:
        covered = {fact for src in self.sources for fact in src.facts}
        needed = set()
        if self.embeddings:
            needed.add("dim")
        if any(e.shape for e in self.embeddings):
            needed.add("shape")
        if any(e.matryoshka for e in self.embeddings):
            needed.add("matryoshka")
        for field in ("license", "release_date", "parameters"):
            if getattr(self, field) not in (None, "unknown"):
                needed.add(field)
        missing = sorted(needed - covered)
        if missing:
            raise ValueError(f"no source given for: {', '.join(missing)}")


class Series(Strict):
    """A model series: catalog/series/<id>.yaml."""

    id: Slug
    name: Label
    category: Slug
    summary: Prose
    links: Links = Links()
    defaults: dict[str, Any] | None = Field(
        None,
        description="Family defaults: any model-entry fields the members share (organization, category, "
        "modalities, status, source.loader/architecture/equivalent_architecture, license, license_name, "
        "gated, languages, links, papers, release_date, embeddings, sources) and summary_shared {en, zh}, "
        "the paragraph appended to "
        "every member's summary. Mappings merge key by key (the entry wins), embeddings by name (an entry "
        "may drop one with omit: true), sources concatenate, other lists are replaced. The merged entry is "
        "validated; an error points at the file holding the value.",
    )


class Paper(Strict):
    """A paper: catalog/papers/<id>.yaml."""

    id: Slug
    title: Text
    year: int = Field(ge=1990, le=2100)
    venue: Text | None = None
    arxiv: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{4,5}$")] | None = None
    openreview: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{6,}$")] | None = None
    topic: Slug
    code: Url | None = None
    summary: Prose
    sources: list[Source] = Field(min_length=1)

    @field_validator("arxiv", mode="before")
    @classmethod
    def _arxiv_is_text(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise ValueError('quote the arXiv id ("2103.00020"): unquoted it reads as a number')
        return value

    @model_validator(mode="after")
    def _has_id(self) -> Paper:
        if self.arxiv is None and self.openreview is None:
            raise ValueError("a paper needs an arxiv or openreview id")
        return self


class Category(Strict):
    """A group of the home-page tables: an item of catalog/categories.yaml."""

    id: Slug
    name: Prose
    summary: Prose


class Topic(Strict):
    """A topic of the paper list: an item of catalog/topics.yaml."""

    id: Slug
    name: Prose


SCHEMAS: dict[str, type[BaseModel]] = {
    "model": Model,
    "series": Series,
    "paper": Paper,
    "category": Category,
    "topic": Topic,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Return the JSON Schema of each file kind, keyed by file name stem.

    Lists (categories, topics) are wrapped as arrays of their item.
    """
    out: dict[str, dict[str, Any]] = {}
    for name in ("model", "series", "paper"):
        out[name] = SCHEMAS[name].model_json_schema()
    # An entry may take any field but these from its series' defaults: the merged entry is what
    # mmcat validates, so an editor checking one file alone asks only for these.
    out["model"]["required"] = ["id", "name", "series"]
    for name, plural in (("category", "categories"), ("topic", "topics")):
        item = SCHEMAS[name].model_json_schema()
        defs = item.pop("$defs", {})
        out[plural] = {"title": plural, "type": "array", "items": item, "$defs": defs}
    return out
