"""`transformers`: a sequence-classification model from a local directory, behind the same interface.

Optional. Nothing is downloaded: the model directory (config.json, tokenizer files and weights, as written by
`save_pretrained`) must already be on disk, named by `sentiment.transformers.model_dir`. The packages
`transformers` and `torch` are not dependencies of vocmine; install them yourself to use this backend.

The score of a text is the expected value of the model's labels under its softmax: P(positive) - P(negative)
for negative/neutral/positive models, (stars - 3) / 2 for 1-5 star models, or the values given in
`sentiment.transformers.label_scores`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from vocmine.errors import ConfigError


def label_value(name: str, overrides: dict[str, float] | None = None) -> float:
    """The score a model label stands for (raises ConfigError when it cannot be told from the name)."""
    if overrides and name in overrides:
        return float(overrides[name])
    low = name.lower()
    stars = re.match(r"^([1-5])\s*stars?$", low)
    if stars:
        return (int(stars.group(1)) - 3) / 2
    for key, value in (("neg", -1.0), ("neu", 0.0), ("pos", 1.0)):
        if key in low:
            return value
    raise ConfigError(
        f"sentiment.transformers.label_scores: the model's label {name!r} is not negative/neutral/positive or "
        f"N stars; map every label to a score in -1..1, e.g. label_scores: {{{name}: 1.0, ...}}"
    )


class TransformersBackend:
    name = "transformers"

    def __init__(
        self,
        model_dir: str | None,
        label_scores: dict[str, float] | None = None,
        batch_size: int = 16,
        max_length: int = 256,
        device: str = "cpu",
        key: str = "sentiment.backend",
    ) -> None:
        if not model_dir:
            raise ConfigError(
                f"{key} is 'transformers' but sentiment.transformers.model_dir is not set: set it to a local "
                "model directory (config.json, tokenizer, weights), or choose a lexicon backend."
            )
        path = Path(model_dir).expanduser()
        if not path.is_dir() or not (path / "config.json").is_file():
            raise ConfigError(
                f"sentiment.transformers.model_dir: {path} is not a model directory (no config.json there). "
                "Point it at a directory written by save_pretrained(); vocmine never downloads models."
            )
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise ConfigError(
                f"{key} is 'transformers' but the optional packages are missing ({exc.name or exc}). Install them "
                "with `pip install transformers torch`, or set the backend back to a lexicon one "
                "('en-lexicon' / 'ko-lexicon')."
            ) from exc
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(str(path), local_files_only=True)
        self.model.to(device).eval()
        self.device = device
        id2label = self.model.config.id2label
        self.values = torch.tensor([label_value(id2label[i], label_scores) for i in range(len(id2label))])
        self.batch_size = batch_size
        self.max_length = max_length

    def score(self, texts: Sequence[str], docs: Sequence | None = None) -> list[float]:
        torch = self._torch
        out: list[float] = []
        texts = list(texts)
        for i in range(0, len(texts), self.batch_size):
            enc = self.tokenizer(
                texts[i : i + self.batch_size],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
            ).to(self.device)
            with torch.no_grad():
                probs = torch.softmax(self.model(**enc).logits.float(), dim=-1).cpu()
            out += [max(-1.0, min(1.0, float(v))) for v in probs @ self.values]
        return out
