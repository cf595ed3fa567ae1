"""skw2v: word2vec as Numba kernels behind a scikit-learn estimator."""

from .classifier import Word2VecClassifier
from .graph import Node2VecEmbedding, edge_features
from .phrases import ENGLISH_CONNECTOR_WORDS, PhrasesTransformer
from .vectorizer import Word2VecVectorizer
from .word_vectors import WordVectors

__all__ = ["ENGLISH_CONNECTOR_WORDS", "Node2VecEmbedding", "PhrasesTransformer",
           "Word2VecClassifier", "Word2VecVectorizer", "WordVectors", "edge_features"]
__version__ = "0.1.0.dev0"
