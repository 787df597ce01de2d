"""Names of the embedding recipes and what tensor each one means.

This module is torch-free: the catalogue validates and the site renders from
these names and descriptions alone. The functions that run a recipe live in the
verification stage (:mod:`generator.verify.extractors`), under the same names.
"""

from __future__ import annotations

from typing import NamedTuple


class Recipe(NamedTuple):
    """A recipe: which tensor of a model is the embedding."""

    en: str
    zh: str
    runnable: bool = True
    multi_vector: bool = False  # one vector per input token: the outputs using it say multi_vector: true


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
    "clip_vision_pooled": Recipe(
        "vision tower pooled output before the projection (vision_model(...).pooler_output, "
        "size vision hidden_size)",
        "视觉塔投影之前的池化输出（vision_model(...).pooler_output，维度为视觉端 hidden_size）",
    ),
    "clip_text_pooled": Recipe(
        "CLIP text tower pooled output before the projection: the end-of-text token after the final "
        "LayerNorm (text_model(...).pooler_output, size text hidden_size)",
        "CLIP 文本塔投影之前的池化输出：最后一层 LayerNorm 之后的文本结束 token"
        "（text_model(...).pooler_output，维度为文本端 hidden_size）",
    ),
    "chinese_clip_text_cls": Recipe(
        "Chinese-CLIP text tower [CLS] state before the projection "
        "(text_model(...).last_hidden_state[:, 0], size text hidden_size)",
        "Chinese-CLIP 文本塔投影之前的 [CLS] 状态"
        "（text_model(...).last_hidden_state[:, 0]，维度为文本端 hidden_size）",
    ),
    "siglip_text_prehead": Recipe(
        "SigLIP text tower last-token state after the final LayerNorm, before the text head "
        "(text_model(...).last_hidden_state[:, -1], size text hidden_size)",
        "SigLIP 文本塔经最后一层 LayerNorm、进入文本头之前的末尾 token 状态"
        "（text_model(...).last_hidden_state[:, -1]，维度为文本端 hidden_size）",
    ),
    "siglip_vision_patch": Recipe(
        "SigLIP vision tower patch tokens after the final LayerNorm, before attention pooling "
        "(vision_model(...).last_hidden_state)",
        "SigLIP 视觉塔经最后一层 LayerNorm、进入注意力池化之前的图块 token"
        "（vision_model(...).last_hidden_state）",
    ),
    "vit_patch": Recipe(
        "final layer-normed patch tokens of the ViT (last_hidden_state[:, 1:])",
        "ViT 最后一层经 LayerNorm 的图块 token（last_hidden_state[:, 1:]）",
    ),
    "mean_pooling_dense": Recipe(
        "attention-masked mean of the token states, then the model's Sentence Transformers Dense layers "
        "(sizes recorded in the lock) and L2 normalisation",
        "按注意力掩码对 token 状态求平均，再经过该模型的 Sentence Transformers Dense 层"
        "（尺寸记录在锁文件中）并做 L2 归一化",
    ),
    "vit_registers": Recipe(
        "register tokens of a ViT trained with registers (last_hidden_state[:, 1 : 1 + num_register_tokens]; "
        "DINOv2 with registers, DINOv3)",
        "带寄存器训练的 ViT 的寄存器 token（last_hidden_state[:, 1 : 1 + num_register_tokens]；"
        "带寄存器的 DINOv2、DINOv3）",
    ),
    "dinov3_convnext_pooled": Recipe(
        "DINOv3 ConvNeXt global-average-pooled features of the last stage after the final LayerNorm "
        "(pooler_output)",
        "DINOv3 ConvNeXt 最后一个阶段经全局平均池化、再经最后一层 LayerNorm 的特征（pooler_output）",
    ),
    "dinov3_convnext_patch": Recipe(
        "DINOv3 ConvNeXt last-stage feature map as tokens after the final LayerNorm "
        "(last_hidden_state[:, 1:], one token per 32×32 pixels)",
        "DINOv3 ConvNeXt 最后一个阶段的特征图按 token 排列、经最后一层 LayerNorm（last_hidden_state[:, 1:]，"
        "每 32×32 像素一个 token）",
    ),
    "siglip2_naflex_image": Recipe(
        "SigLIP 2 NaFlex attention-pooled image features (get_image_features) of the processor's "
        "patch sequence at the image's own aspect ratio (synthetic inputs: a square image cut into "
        "patch_size patches)",
        "SigLIP 2 NaFlex 经注意力池化的图像特征（get_image_features），"
        "输入为处理器按图像原始宽高比切出的图块序列（合成输入时为按 patch_size 切块的正方形图像）",
    ),
    "siglip2_naflex_patch": Recipe(
        "SigLIP 2 NaFlex vision tower patch tokens before attention pooling "
        "(vision_model(...).last_hidden_state), one per patch of the processor's patch sequence",
        "SigLIP 2 NaFlex 视觉塔在注意力池化之前的图块 token（vision_model(...).last_hidden_state），"
        "处理器图块序列中每个图块一个",
    ),
    "patch_mean": Recipe(
        "mean of all final tokens of a ViT without a CLS token (last_hidden_state.mean(1); I-JEPA, AIMv2)",
        "没有 CLS token 的 ViT 全部最终 token 的平均值（last_hidden_state.mean(1)；I-JEPA、AIMv2）",
    ),
    "patch_tokens": Recipe(
        "all final tokens of a ViT without a CLS token, one per patch (last_hidden_state; I-JEPA, AIMv2)",
        "没有 CLS token 的 ViT 的全部最终 token，每个图块一个（last_hidden_state；I-JEPA、AIMv2）",
    ),
    "late_interaction": Recipe(
        "one vector per input token or image patch: the language model's last hidden states through the "
        "retrieval projection (embedding_dim), L2-normalised (ColPaliForRetrieval / ColQwen2ForRetrieval / "
        "ColModernVBertForRetrieval .embeddings)",
        "每个输入 token 或图块一个向量：语言模型最后一层隐藏状态经检索投影层（embedding_dim）并做 L2 归一化"
        "（ColPaliForRetrieval、ColQwen2ForRetrieval、ColModernVBertForRetrieval 的 .embeddings）",
        multi_vector=True,
    ),
    "clap_audio": Recipe(
        "CLAP projected audio features (get_audio_features: HTS-AT audio tower, then the audio "
        "projection, size projection_dim)",
        "CLAP 投影后的音频特征（get_audio_features：HTS-AT 音频塔之后接音频投影，维度为 projection_dim）",
    ),
    "clap_text": Recipe(
        "CLAP projected text features (get_text_features: RoBERTa text tower, then the text "
        "projection, size projection_dim)",
        "CLAP 投影后的文本特征（get_text_features：RoBERTa 文本塔之后接文本投影，维度为 projection_dim）",
    ),
    "audio_mean": Recipe(
        "mean over time of the final hidden states of a speech encoder fed the raw waveform "
        "(wav2vec 2.0, HuBERT, WavLM), size hidden_size",
        "以原始波形为输入的语音编码器（wav2vec 2.0、HuBERT、WavLM）最后一层隐藏状态在时间上的平均，"
        "维度为 hidden_size",
    ),
    "whisper_encoder_mean": Recipe(
        "mean over time of the Whisper encoder's final states on a 30 s log-mel input "
        "(model.encoder; the decoder is not used), size d_model",
        "Whisper 编码器在 30 秒对数梅尔谱输入上最后一层状态在时间上的平均"
        "（model.encoder，不用解码器），维度为 d_model",
    ),
    "ast_pooler": Recipe(
        "Audio Spectrogram Transformer pooled output: the mean of its CLS and distillation tokens "
        "after the final LayerNorm (pooler_output), size hidden_size",
        "Audio Spectrogram Transformer 的池化输出：最后一层 LayerNorm 之后 CLS 与蒸馏 token 的平均"
        "（pooler_output），维度为 hidden_size",
    ),
    "xclip_video": Recipe(
        "X-CLIP projected video features (get_video_features: frame features, cross-frame "
        "transformer, then the projection, size projection_dim)",
        "X-CLIP 投影后的视频特征（get_video_features：逐帧特征经跨帧 Transformer 后再投影，"
        "维度为 projection_dim）",
    ),
    "xclip_text": Recipe(
        "X-CLIP projected text features (get_text_features, size projection_dim)",
        "X-CLIP 投影后的文本特征（get_text_features，维度为 projection_dim）",
    ),
    "videoprism_video": Recipe(
        "VideoPrism LvT video embedding (get_video_features: the video encoder, two auxiliary layers, "
        "one-query attention pooling and a final LayerNorm; [:, 0]), size hidden_size",
        "VideoPrism LvT 视频嵌入（get_video_features：视频编码器后接两层辅助层、"
        "单查询注意力池化与最后的 LayerNorm；取 [:, 0]），维度为 hidden_size",
    ),
    "videoprism_text": Recipe(
        "VideoPrism LvT text embedding (get_text_features: the text tower's class-token state after the "
        "final LayerNorm), size text hidden_size",
        "VideoPrism LvT 文本嵌入（get_text_features：文本塔经最后一层 LayerNorm 后的类别 token 状态），"
        "维度为文本端 hidden_size",
    ),
    "video_mean": Recipe(
        "mean of a video encoder's final spatio-temporal tokens (VideoMAE, V-JEPA 2 encoder "
        "without the predictor, VideoPrism), size hidden_size",
        "视频编码器最后一层时空 token 的平均（VideoMAE，以及不经预测器的 V-JEPA 2 编码器），"
        "维度为 hidden_size",
    ),
    "vjepa2_pooled": Recipe(
        "V-JEPA 2 classifier's attentive pooler over the encoder tokens, before the linear "
        "classifier, size hidden_size",
        "V-JEPA 2 分类模型中对编码器 token 做注意力池化的输出（线性分类器之前），维度为 hidden_size",
    ),
    "tips_image": Recipe(
        "TIPSv2 image embedding: the first CLS token of the vision tower after its final LayerNorm "
        "(get_image_features .pooler_output; the second CLS token is the register slot), "
        "size vision hidden_size",
        "TIPSv2 图像嵌入：视觉塔经最后一层 LayerNorm 后的第一个 CLS token"
        "（get_image_features 的 pooler_output；第二个 CLS token 位于寄存器位置），维度为视觉端 hidden_size",
    ),
    "tips_text": Recipe(
        "TIPSv2 text embedding: the attention-masked mean of the text tower's states after its final "
        "LayerNorm (get_text_features .pooler_output), size text hidden_size",
        "TIPSv2 文本嵌入：文本塔经最后一层 LayerNorm 后的状态按注意力掩码求平均"
        "（get_text_features 的 pooler_output），维度为文本端 hidden_size",
    ),
    "radio_summary": Recipe(
        "RADIO summary vector: the class tokens chosen by summary_idxs, concatenated "
        "(RadioModel .summary), size len(summary_idxs) x hidden_size",
        "RADIO 摘要向量：由 summary_idxs 选出的类别 token 拼接而成（RadioModel 的 .summary），"
        "维度为 len(summary_idxs) × hidden_size",
    ),
    "radio_features": Recipe(
        "RADIO dense features: the final tokens after the class and register tokens, one per patch "
        "(RadioModel .features): a grid [patches, hidden_size]",
        "RADIO 稠密特征：类别 token 与寄存器 token 之后的最终 token，每个图块一个"
        "（RadioModel 的 .features）：网格 [图块数, hidden_size]",
    ),
    "declared": Recipe(
        "declared only: the system cannot be run by the checks",
        "仅为声明值：检查流程无法运行该系统",
        runnable=False,
    ),
}
