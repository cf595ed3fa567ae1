"""Documented parameters and attributes match the code; public objects have Examples."""

import inspect
import re

import pytest

import skw2v
from skw2v import (
    Node2VecEmbedding,
    PhrasesTransformer,
    Word2VecClassifier,
    Word2VecVectorizer,
    WordVectors,
    datasets,
    edge_features,
)


def _section(doc, name):
    match = re.search(rf"\n\s*{name}\n\s*-+\n(.*?)(\n\s*\n\s*[A-Z][A-Za-z ]+\n\s*-+\n|\Z)",
                      doc, re.S)
    assert match, f"no {name} section"
    return match.group(1)


def _documented_names(section):
    names = set()
    for line in section.splitlines():
        match = re.match(r"^    (\w[\w, ]*) :", line)
        if match:
            names.update(n.strip() for n in match.group(1).split(","))
    return names


@pytest.mark.parametrize("estimator", [Word2VecVectorizer, Word2VecClassifier,
                                       PhrasesTransformer])
def test_every_init_parameter_is_documented_and_constrained(estimator):
    signature = set(inspect.signature(estimator).parameters)
    documented = _documented_names(_section(estimator.__doc__, "Parameters"))
    assert documented == signature
    assert set(estimator._parameter_constraints) == signature


def test_every_fitted_attribute_is_documented(lee_documents):
    model = Word2VecVectorizer(vector_size=8, min_count=2, epochs=1, n_jobs=1,
                               random_state=0).fit(lee_documents[:50])
    fitted = {name for name in vars(model) if name.endswith("_") and not name.startswith("_")}
    documented = _documented_names(_section(Word2VecVectorizer.__doc__, "Attributes"))
    assert fitted <= documented, fitted - documented
    import pandas as pd

    frame = pd.DataFrame({"text": lee_documents[:50]})
    classifier = Word2VecClassifier(epochs=1, n_jobs=1, random_state=0, early_stopping=True,
                                    validation_fraction=0.2).fit(frame, [0, 1] * 25)
    fitted = {name for name in vars(classifier)
              if name.endswith("_") and not name.startswith("_")}
    documented = _documented_names(_section(Word2VecClassifier.__doc__, "Attributes"))
    assert fitted <= documented, fitted - documented
    phrases = PhrasesTransformer(min_count=2).fit(lee_documents[:50])
    fitted = {name for name in vars(phrases) if name.endswith("_") and not name.startswith("_")}
    documented = _documented_names(_section(PhrasesTransformer.__doc__, "Attributes"))
    assert fitted == documented, fitted ^ documented


PUBLIC = [Node2VecEmbedding, edge_features, PhrasesTransformer, Word2VecClassifier,
          Word2VecVectorizer, WordVectors] + [
    getattr(cls, name)
    for cls in (Node2VecEmbedding, PhrasesTransformer, Word2VecClassifier, Word2VecVectorizer,
                WordVectors)
    # the methods skw2v defines, also in a base class (WordVectors inherits load, save ...)
    for base in cls.__mro__ if base.__module__.startswith("skw2v.")
    for name in vars(base) if not name.startswith("_") and callable(getattr(cls, name))
    # scikit-learn's generated metadata-routing setters (set_fit_request, ...) aside
    and not name.endswith("_request")
] + [getattr(datasets, name) for name in dir(datasets)
     if name.startswith(("fetch_", "get_", "clear_"))]


@pytest.mark.parametrize("obj", PUBLIC, ids=lambda o: o.__qualname__)
def test_public_objects_have_examples(obj):
    assert obj.__doc__ and "Examples\n" in inspect.cleandoc(obj.__doc__), obj.__qualname__


def test_package_exports():
    assert skw2v.__all__ == ["ENGLISH_CONNECTOR_WORDS", "Node2VecEmbedding",
                             "PhrasesTransformer", "Word2VecClassifier", "Word2VecVectorizer",
                             "WordVectors", "edge_features"]
