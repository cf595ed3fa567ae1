"""skw2v: word2vec as Numba kernels behind a scikit-learn estimator."""

from .classifier import Word2VecClassifier
from .vectorizer import Word2VecVectorizer
from .word_vectors import WordVectors

__all__ = ["Word2VecClassifier", "Word2VecVectorizer", "WordVectors"]
__version__ = "0.1.0.dev0"
