"""Names of the embedding recipes and what tensor each one means.

This module is torch-free: the catalogue validates and the site renders from
these names and descriptions alone. The functions that run a recipe live in the
verification stage.
"""

from __future__ import annotations

from typing import NamedTuple


class Recipe(NamedTuple):
    """A recipe: which tensor of a model is the embedding."""

    en: str
    zh: str
    runnable: bool = True


RECIPES: dict[str, Recipe] = {
    "vit_pooler": Recipe(
        "ViT pooler output: dense layer + tanh over the CLS token",
        "ViT 池化输出：CLS token 经全连接层与 tanh",
    ),
    "vit_cls": Recipe(
        "final layer-normed CLS token of the ViT (last_hidden_state[:, 0])",
        "ViT 最后一层经 LayerNorm 的 CLS token（last_hidden_state[:, 0]）",
    ),
    "dinov2_cls": Recipe(
        "layer-normed CLS token (pooler_output)",
        "经 LayerNorm 的 CLS token（pooler_output）",
    ),
    "dinov2_patch": Recipe(
        "layer-normed patch tokens (last_hidden_state without CLS and register tokens)",
        "经 LayerNorm 的图块 token（去掉 CLS 与寄存器 token 的 last_hidden_state）",
    ),
    "clip_image": Recipe(
        "projected image features (get_image_features, size projection_dim)",
        "投影后的图像特征（get_image_features，维度为 projection_dim）",
    ),
    "clip_text": Recipe(
        "projected text features (get_text_features, size projection_dim)",
        "投影后的文本特征（get_text_features，维度为 projection_dim）",
    ),
    "siglip_image": Recipe(
        "attention-pooled image features of the vision head (get_image_features)",
        "视觉头经注意力池化后的图像特征（get_image_features）",
    ),
    "siglip_text": Recipe(
        "text features of the text head (get_text_features)",
        "文本头输出的文本特征（get_text_features）",
    ),
    "blip_itm_image": Recipe(
        "image-text contrastive projection of the first image token (vision_proj)",
        "第一个图像 token 的图文对比投影（vision_proj）",
    ),
    "blip_itm_text": Recipe(
        "image-text contrastive projection of the first text token (text_proj)",
        "第一个文本 token 的图文对比投影（text_proj）",
    ),
    "internvit_cls": Recipe(
        "final CLS token of InternViT",
        "InternViT 最后一层的 CLS token",
    ),
    "last_token": Recipe(
        "hidden state of the last token of the language model",
        "语言模型最后一个 token 的隐藏状态",
    ),
    "mean_pooling": Recipe(
        "attention-masked mean of the token states",
        "按注意力掩码对 token 状态求平均",
    ),
    "cls_pooling": Recipe(
        "hidden state of the first ([CLS]) token",
        "第一个（[CLS]）token 的隐藏状态",
    ),
    "declared": Recipe(
        "declared only: the system cannot be run by the checks",
        "仅为声明值：检查流程无法运行该系统",
        runnable=False,
    ),
}
