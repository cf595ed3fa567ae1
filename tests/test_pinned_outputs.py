"""Pinned outputs: every architecture x loss x subwords fit (``n_jobs=1``, a fixed seed) and
its pooled outputs, bit for bit.

The values were pinned before the fit driver, the kernels and the formats were restructured
(issue 21), so a reorganisation that changes any bit of what a user gets (a vector, a loss, an
idf weight, the SIF component, a pooled row of any pooling) fails here. A change that is meant
to change results re-pins them: ``python tests/test_pinned_outputs.py`` prints the current
fingerprints, and the commit says why they moved.
"""

import hashlib
import itertools

import numpy as np
import pytest

from skw2v import Word2VecVectorizer

ARCHITECTURES = ("skipgram", "cbow")
LOSSES = {"ns": {"negative": 5, "hs": False}, "hs": {"negative": 0, "hs": True},
          "ns+hs": {"negative": 3, "hs": True}}
SUBWORDS = {"words": {}, "subwords": {"char_ngram_range": (2, 4), "n_buckets": 5_000}}
CASES = list(itertools.product(ARCHITECTURES, LOSSES, SUBWORDS))
POOLINGS = ("mean", "sum", "idf", "max")


def _documents():
    """150 documents over 50 words with Zipf-like frequencies, sharing stems (so n-gram rows
    are shared), and a held-out set with words the training never saw."""
    rng = np.random.default_rng(21)
    stems = ["play", "work", "read", "walk", "talk", "jump", "cook", "paint", "sing", "swim"]
    suffixes = ["", "s", "ed", "ing", "er"]
    words = [stem + suffix for stem in stems for suffix in suffixes]
    weights = 1.0 / np.arange(1, len(words) + 1) ** 0.9
    weights /= weights.sum()
    train = [" ".join(words[i] for i in rng.choice(len(words), size=rng.integers(3, 18),
                                                   p=weights)) for _ in range(150)]
    held_out = train[:5] + ["player painting swimmers", "unknownword", "", "cooks readers"]
    return train, held_out


def _digest(*arrays):
    hasher = hashlib.sha256()
    for array in arrays:
        if array is None:
            hasher.update(b"none")
            continue
        array = np.ascontiguousarray(array)
        hasher.update(str((array.dtype.str, array.shape)).encode())
        hasher.update(array.tobytes())
    return hasher.hexdigest()[:16]


def fingerprint(architecture, loss, subwords):
    """Digests of what a fit of the case gives: the vectors, the losses, the pooling weights
    and the rows of every pooling."""
    train, held_out = _documents()
    params = dict(vector_size=12, window=3, min_count=2, epochs=3, sample=1e-2, n_jobs=1,
                  random_state=5, architecture=architecture, pooling="sif",
                  **LOSSES[loss], **SUBWORDS[subwords])
    model = Word2VecVectorizer(**params)
    fitted_rows = model.fit_transform(train)
    wv = model.wv_
    result = {
        "words": _digest(np.array(wv.index_to_word, dtype="U")),
        "vectors": _digest(wv.vectors, wv.vectors_vocab, wv.vectors_ngrams,
                           wv.ngram_buckets),
        "loss": _digest(np.array(model.loss_history_, dtype=np.float64)),
        "idf+sif": _digest(model.idf_, model.sif_component_),
        "fit_transform": _digest(fitted_rows),
        "transform sif": _digest(model.transform(held_out)),
    }
    for pooling, norm in itertools.product(POOLINGS, (None, "l2")):
        model.set_params(pooling=pooling, norm=norm)
        result[f"transform {pooling} {norm}"] = _digest(model.transform(held_out))
    return result


#: Digests of fingerprint() for every case, pinned at commit 6396557 (before issue 21).
PINNED = {
    ('skipgram', 'ns', 'words'): {
        'words': 'dc2b4991f0b2241d', 'vectors': '0fcda4b26d5995b6',
        'loss': '28b72ec0e73e7161', 'idf+sif': '5e4cab85054f9741',
        'fit_transform': 'f12725c12344fd88', 'transform sif': 'e7d0995bc9c190fa',
        'transform mean None': '844eac2662b5615a', 'transform mean l2': '812c87c421b98672',
        'transform sum None': '82bf08a66737271e', 'transform sum l2': 'ab47524fa981ed13',
        'transform idf None': 'b1b67e541bb43834', 'transform idf l2': 'ca22881ef1acc0b6',
        'transform max None': '666aabb371cf94aa', 'transform max l2': '6a19fbdf1140957e',
    },
    ('skipgram', 'ns', 'subwords'): {
        'words': 'dc2b4991f0b2241d', 'vectors': '6d42743dad045873',
        'loss': '1045068bb1daa600', 'idf+sif': '802ef85cac0aa9f0',
        'fit_transform': '498ddca194e4ebd1', 'transform sif': '233fc437c5289c56',
        'transform mean None': '6e3ade9effe420a5', 'transform mean l2': '24c37d65390f1900',
        'transform sum None': '06f612f7172f7219', 'transform sum l2': '16c4d03d128e188f',
        'transform idf None': '4c82f30992664692', 'transform idf l2': 'abb24d3a8ebb30b1',
        'transform max None': '8347ee6e57b5ec52', 'transform max l2': '8bc6201fc2b20490',
    },
    ('skipgram', 'hs', 'words'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'de8465780697634d',
        'loss': '37bc555b6e077f54', 'idf+sif': '2ad997b15668bcbe',
        'fit_transform': '37dfd75e76dd9e4e', 'transform sif': '2dd26159b1ac3375',
        'transform mean None': '1b6ae27023ed04e7', 'transform mean l2': 'c883b6704a0912e3',
        'transform sum None': 'a05a9290646a451e', 'transform sum l2': '363a6ed73e2e2391',
        'transform idf None': 'b2a0665063f59dfa', 'transform idf l2': '9d91f42710a635b4',
        'transform max None': '6122c319bda22f60', 'transform max l2': 'd6764868a1c6d29f',
    },
    ('skipgram', 'hs', 'subwords'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'b62698607c86f872',
        'loss': 'dd7cc3bfe6cfc58e', 'idf+sif': '263c808bc15eac83',
        'fit_transform': '82929890b06f5e17', 'transform sif': '331003259f2a225f',
        'transform mean None': 'bcca4b159e859c20', 'transform mean l2': '7606b6f8b7d0ed5b',
        'transform sum None': '5d6a9006299ea83f', 'transform sum l2': '564064ffccb35e3c',
        'transform idf None': '81da52b989412b5d', 'transform idf l2': 'db208ec20d5e8a08',
        'transform max None': 'a43298220f747a8f', 'transform max l2': 'dfcad6b83c8d60a1',
    },
    ('skipgram', 'ns+hs', 'words'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'e4b133c9ad022ff0',
        'loss': 'd440d0d4449e7811', 'idf+sif': 'b7bbb2eb9424cbff',
        'fit_transform': '283ca16ac8d40f95', 'transform sif': '7c458b3c6b850c89',
        'transform mean None': '06c0bf478565c939', 'transform mean l2': '99a6e5d72f6b4351',
        'transform sum None': 'f5023157d6ade3b4', 'transform sum l2': 'be197025ac6fe836',
        'transform idf None': '40ce8a425e1fbf47', 'transform idf l2': 'f7005cdfa822199c',
        'transform max None': 'a83cf2c683615b4c', 'transform max l2': '02cf1b200417be31',
    },
    ('skipgram', 'ns+hs', 'subwords'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'ffa05433ec94f5ca',
        'loss': '43befd2d99ea2c88', 'idf+sif': 'da4a5e1a3587513f',
        'fit_transform': 'bbe94d3b1c7e59ff', 'transform sif': '11992c05660ea633',
        'transform mean None': 'd9e96aa52119ed1b', 'transform mean l2': 'fc294027e08860d8',
        'transform sum None': '259dafddad8f0ed3', 'transform sum l2': 'cceac142188ac5b1',
        'transform idf None': '5ce53c79db34fd38', 'transform idf l2': '81070a4f23776977',
        'transform max None': '423f96ebe8688026', 'transform max l2': 'cfaa619e94e8a0c6',
    },
    ('cbow', 'ns', 'words'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'cd92c7d56754e743',
        'loss': '07eb40edef476fbe', 'idf+sif': '0a529088a25d52f9',
        'fit_transform': '7a4a6183d4e1c76a', 'transform sif': '14ae9406bdd0584e',
        'transform mean None': '7896f45680061558', 'transform mean l2': 'a70ebf5985837199',
        'transform sum None': '0488da6af4ccb9d0', 'transform sum l2': '4165313b29f66ec6',
        'transform idf None': '064233d418c31bca', 'transform idf l2': '61811021940629f8',
        'transform max None': '77480658a912c9f2', 'transform max l2': '324cd6885b388ff5',
    },
    ('cbow', 'ns', 'subwords'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'bb56c2b3f3636cdb',
        'loss': 'cd616840869f7ec6', 'idf+sif': 'ef688ad6e733e5bf',
        'fit_transform': 'a772aea27f4596f0', 'transform sif': '0879d9d57ac3415e',
        'transform mean None': '633b2e0a728c16ea', 'transform mean l2': 'cb3cd52008d8d3cb',
        'transform sum None': 'a1919bab59b3bc7f', 'transform sum l2': 'ef2fedf8ffd83cab',
        'transform idf None': 'bf828d43e6d20750', 'transform idf l2': '57bb31e541691712',
        'transform max None': 'ffb2bc45a0e53a1a', 'transform max l2': 'afeaf183c054a875',
    },
    ('cbow', 'hs', 'words'): {
        'words': 'dc2b4991f0b2241d', 'vectors': '82218d37462aadd8',
        'loss': '2ee13e42de8e497f', 'idf+sif': 'cb23909b672b1d3d',
        'fit_transform': 'c33cbf1ad76f07a2', 'transform sif': '8dcd945d7caaec7e',
        'transform mean None': 'd176a084a1b6fcba', 'transform mean l2': '019aad6165d4c76b',
        'transform sum None': 'a7b84eada4a6f621', 'transform sum l2': 'a0b94074a5a8cd6a',
        'transform idf None': 'd77c8c9aff1b5dab', 'transform idf l2': '6e0dc75b0996f0e4',
        'transform max None': '0c198a1fcc8a8d31', 'transform max l2': 'dffbdc499257bad9',
    },
    ('cbow', 'hs', 'subwords'): {
        'words': 'dc2b4991f0b2241d', 'vectors': '46d25a80c171ed5d',
        'loss': 'b2b18639c6a8f548', 'idf+sif': '0924b6b8e9c10c4e',
        'fit_transform': 'e0dda609153cb362', 'transform sif': '58bc0e040a34d83e',
        'transform mean None': 'bd43bc30fd8baea3', 'transform mean l2': '721f2d4c9940700d',
        'transform sum None': '8cc76d1cd9f0ff37', 'transform sum l2': '125000b087d9cb48',
        'transform idf None': '861f5e5afe2c9eef', 'transform idf l2': '7c9aafddb8d4da9d',
        'transform max None': '9934a015e022ca52', 'transform max l2': 'b87cbbb1ed6eb979',
    },
    ('cbow', 'ns+hs', 'words'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'ffe5d11589bfa770',
        'loss': '01a81723a6bd2b83', 'idf+sif': '6653d0a8ea00b309',
        'fit_transform': '887c1be7905f0519', 'transform sif': '61c8ce4524775406',
        'transform mean None': '8d25d11e1f992f81', 'transform mean l2': '659a8210a88a3e75',
        'transform sum None': '7371124e273a3688', 'transform sum l2': 'b8f11a49fcc303dd',
        'transform idf None': 'ac3d44cff8d8d0e5', 'transform idf l2': '0a8baae919d63eda',
        'transform max None': '71d1c5e86acafdd1', 'transform max l2': 'f777bd5c3af8c1c6',
    },
    ('cbow', 'ns+hs', 'subwords'): {
        'words': 'dc2b4991f0b2241d', 'vectors': 'e63fa04655ac63dd',
        'loss': '6005373cdfeedb32', 'idf+sif': 'e3f5aa3ed19590bb',
        'fit_transform': '9b8ee70649a7adbc', 'transform sif': 'b539f004e3d9f562',
        'transform mean None': 'a1a31a97c1fbf75a', 'transform mean l2': '8e40611860f65562',
        'transform sum None': '39ba34c8131c112e', 'transform sum l2': '0d3545c1ed4316ca',
        'transform idf None': '27b767c0c95a3b1a', 'transform idf l2': 'c9f9931e7978a308',
        'transform max None': 'c9c977f8cd9a3a64', 'transform max l2': '951a54491bed595d',
    },
}


@pytest.mark.parametrize("case", CASES, ids=["-".join(case) for case in CASES])
def test_fit_and_pooled_outputs_are_pinned(case):
    assert fingerprint(*case) == PINNED[case]


def test_the_fingerprint_sees_a_one_bit_change():
    base = np.arange(12, dtype=np.float32)
    changed = base.copy()
    changed.view(np.uint32)[7] ^= 1  # the lowest mantissa bit of one element
    assert _digest(base) != _digest(changed)
    assert _digest(base) != _digest(base.astype(np.float64))  # the dtype counts too


if __name__ == "__main__":
    print("PINNED = {")
    for case in CASES:
        print(f"    {case!r}: {fingerprint(*case)!r},")
    print("}")
