"""The format layer: reading and writing word vectors, and gensim conversions.

One module per format (``word2vec``: the word2vec text and binary formats and GloVe's;
``fasttext_bin``: Facebook fastText ``.bin`` models; ``npy``: skw2v's directory of ``.npy``
arrays), the helpers they share (``common``), the conversions to and from gensim
(``gensim``) and the one table of formats (``registry``) that ``WordVectors.load`` and
``WordVectors.save`` and the command line use. Nothing here imports ``WordVectors``:
readers return :class:`~skw2v._io.common.VectorParts`, from which ``WordVectors`` builds
itself, and writers read the public attributes of the vectors they are given.
"""
