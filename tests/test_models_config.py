"""Offline model resolution and configuration validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vocmine.asr_models import BASE_MODEL_BIN_SHA256, BASE_MODEL_BIN_SIZE, resolve_model
from vocmine.config import Config, load_config
from vocmine.errors import ConfigError, ModelError


def test_tiny_en_resolves_to_a_shipped_directory():
    path = Path(resolve_model("tiny.en"))
    assert (path / "model.bin").is_file() and (path / "tokenizer.json").is_file()


def test_base_is_joined_once_and_verified(tmp_path):
    path = Path(resolve_model("base", tmp_path))
    assert (path / "model.bin").stat().st_size == BASE_MODEL_BIN_SIZE
    marker = json.loads((path / "vocmine-verified.json").read_text())
    assert marker["sha256"] == BASE_MODEL_BIN_SHA256
    mtime = (path / "model.bin").stat().st_mtime_ns
    assert Path(resolve_model("base", tmp_path)) == path
    assert (path / "model.bin").stat().st_mtime_ns == mtime  # not joined again
    # a damaged cache (wrong size) is rebuilt rather than handed to faster-whisper
    with (path / "model.bin").open("r+b") as f:
        f.truncate(1000)
    resolve_model("base", tmp_path)
    assert (path / "model.bin").stat().st_size == BASE_MODEL_BIN_SIZE
    assert not list(tmp_path.glob(".whisper-base.tmp-*"))


def test_local_directory_and_hub_names(tmp_path):
    with pytest.raises(ModelError, match="no model.bin"):
        resolve_model(str(tmp_path))
    assert resolve_model("large-v3") == "large-v3"  # left to faster-whisper's own download


def test_multilingual_base_model_loads_and_detects_language(tmp_path):
    from vocmine.config import ASRConfig
    from vocmine.transcribe import get_model

    handle = get_model(ASRConfig(model="base", model_cache_dir=str(tmp_path)))
    assert handle.multilingual and handle.device == "cpu" and handle.compute_type == "int8"


def test_config_defaults_hash_and_validation(tmp_path):
    assert load_config(None) == Config()
    cfg = tmp_path / "c.yaml"
    cfg.write_text("asr:\n  model: base\ntimezone: Asia/Seoul\n")
    loaded = load_config(cfg)
    assert loaded.asr.model == "base" and loaded.hash() != Config().hash()
    assert load_config(cfg).hash() == loaded.hash()
    cfg.write_text("channels:\n  left: customer\n  right: customer\ntimezone: Mars/Olympus\n")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    assert "channels.right" in str(err.value) and "timezone" in str(err.value)
    cfg.write_text("asr: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(cfg)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")


def test_shipped_default_config_is_valid_and_matches_code_defaults():
    root = Path(__file__).resolve().parents[1]
    assert load_config(root / "configs" / "default.yaml") == Config()
