"""skw2v: word2vec as Numba kernels behind a scikit-learn estimator."""

from .classifier import Word2VecClassifier
from .graph import Node2VecEmbedding, edge_features
from .vectorizer import Word2VecVectorizer
from .word_vectors import WordVectors

__all__ = ["Node2VecEmbedding", "Word2VecClassifier", "Word2VecVectorizer", "WordVectors",
           "edge_features"]
__version__ = "0.1.0.dev0"
