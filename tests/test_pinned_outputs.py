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
from toolchain import TOOLCHAIN

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


#: Digests of fingerprint() for every case, by toolchain: pinned at commit 6396557
#: (before issue 21); re-pinned when the kernels' output layers were register-blocked (issue
#: 26): the float32 sums run in another order, and the CBOW layer reads a repeated negative's
#: row before its update (the matrix form, as the skip-gram block), not after. How a sum is
#: vectorised (its lanes and partial sums) is LLVM's choice for the CPU it compiles for, so
#: each LLVM and CPU round the same kernels in their own way: the pins are keyed by LLVM's
#: major version and its name of the host CPU, one entry for each of CI's two environments.
PINNED = {
    (14, "znver3"): {  # Numba 0.59 (the oldest supported, .ci/minimum-versions.txt)
        ('skipgram', 'ns', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '4ec0aedf5d6afaf8',
            'loss': 'cc2e5ac5a4b0d789', 'idf+sif': 'f393ba386416224b',
            'fit_transform': '11729386355027f1', 'transform sif': '06fa50b1faa800f5',
            'transform mean None': '0e3dd301a5f47e7e', 'transform mean l2': '465d2d8442e09497',
            'transform sum None': '0dd5857af212211c', 'transform sum l2': '8dfb4a320be6881d',
            'transform idf None': 'f49e3c4d1d85ed62', 'transform idf l2': 'cbe14cb6ec48225c',
            'transform max None': '4afb34fb4b6152b1', 'transform max l2': '4047bfcb561537e7',
        },
        ('skipgram', 'ns', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '8a5e79fe7de6f5ae',
            'loss': '2b066d436cde32a8', 'idf+sif': '8fce2eb52ae987f8',
            'fit_transform': '19275a9adfca6c98', 'transform sif': '108667d496c95e61',
            'transform mean None': '9f58452cc987666c', 'transform mean l2': 'f0898340e3d61ffa',
            'transform sum None': '7f41384667150c42', 'transform sum l2': 'b6bc8434f57015fd',
            'transform idf None': 'f3385e9214b0e0b0', 'transform idf l2': 'c4b6e28648fe39e8',
            'transform max None': '6f7de4652e55f42e', 'transform max l2': '917da4e033aba5e7',
        },
        ('skipgram', 'hs', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '554dbb2d55f9a9c1',
            'loss': '37bc555b6e077f54', 'idf+sif': '5f7bdded1ddeb782',
            'fit_transform': '6f9eb153505a7905', 'transform sif': '2b9ffda1d35c3735',
            'transform mean None': '2216f1c0e113575d', 'transform mean l2': 'f8df46e067e6adf9',
            'transform sum None': '5a18e635b8f7cb21', 'transform sum l2': 'a43b3e1d925b2bfd',
            'transform idf None': 'f0a49953796775e4', 'transform idf l2': '86eff927384b7a56',
            'transform max None': 'c9e2efac2a0bd45c', 'transform max l2': '7ff7170d73690562',
        },
        ('skipgram', 'hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'd057ea105936fb4e',
            'loss': 'dd7cc3bfe6cfc58e', 'idf+sif': '3b2b7512db571a22',
            'fit_transform': '76f21b164d9dda8f', 'transform sif': '04d9382d5d268e8f',
            'transform mean None': 'c176635193cf0421', 'transform mean l2': 'a9197ef8f03d69b9',
            'transform sum None': 'c5e8270963c38daf', 'transform sum l2': 'db865972e81e24f0',
            'transform idf None': '9846c8dee2eacedb', 'transform idf l2': 'aeb9a28d8c972ecf',
            'transform max None': 'b2a7c73119c3015e', 'transform max l2': 'e9f03fe4d56d20cf',
        },
        ('skipgram', 'ns+hs', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '9a23829620356b2b',
            'loss': 'a3fb6c4fc9a86023', 'idf+sif': 'af09ccf76bf91529',
            'fit_transform': 'f7ef49a0255ca8cd', 'transform sif': '6670633923722e9a',
            'transform mean None': 'c179b69e360ee278', 'transform mean l2': '4f447053520071fa',
            'transform sum None': '5f1a5839f28e9d83', 'transform sum l2': '2b2db5c86357971a',
            'transform idf None': 'a4552010f1e30f1f', 'transform idf l2': '25046c2d708c2dcb',
            'transform max None': '68511422ccbfe157', 'transform max l2': 'c8012d68430989be',
        },
        ('skipgram', 'ns+hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '8489c52fa839ceb4',
            'loss': 'f1defcfa5acc8531', 'idf+sif': '354cd772d1685bac',
            'fit_transform': 'b9ec66710b78435e', 'transform sif': '2c18b326f13fc933',
            'transform mean None': 'b2e11a22e0645560', 'transform mean l2': '1037bb304bdfa699',
            'transform sum None': '3a9b0c073cd85dca', 'transform sum l2': '0196777110466bd1',
            'transform idf None': '2e453fe482e4c8d8', 'transform idf l2': '89ceecefa30ed5b0',
            'transform max None': 'b585c458040e528b', 'transform max l2': 'd9b4a39293a30078',
        },
        ('cbow', 'ns', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '59552549a597c968',
            'loss': 'ddda95c3d2190534', 'idf+sif': '31816e0a7289eea5',
            'fit_transform': '2e2982273c3e27b1', 'transform sif': 'e5f5a0f6268b41c0',
            'transform mean None': 'afe8473b57307820', 'transform mean l2': '0512f1b4a685d754',
            'transform sum None': 'f8c3b85780e633e1', 'transform sum l2': '121a637724cc5891',
            'transform idf None': 'e37caef3ef5b574b', 'transform idf l2': 'b436e7bce5b18669',
            'transform max None': 'b9b20ac1b9f8b746', 'transform max l2': 'd54183ef9f397369',
        },
        ('cbow', 'ns', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'cc442a46ca8a959e',
            'loss': '2ce1b528e56f219a', 'idf+sif': 'f5be9a689e9f278f',
            'fit_transform': '68da575bdea3020d', 'transform sif': '9e96581c3cd358f7',
            'transform mean None': '6788116c799d3adf', 'transform mean l2': 'd85a39f0624dbd83',
            'transform sum None': '9ba3d4a6bf50b9b9', 'transform sum l2': '0a1d5df33403b470',
            'transform idf None': '4a947eda94d3e554', 'transform idf l2': 'ac630edc02d102d2',
            'transform max None': 'b69fa0d207d68b84', 'transform max l2': '9e148d0dd263fd66',
        },
        ('cbow', 'hs', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'c43419d94a1625e4',
            'loss': '2ee13e42de8e497f', 'idf+sif': '4befafe55689b7cb',
            'fit_transform': '87d4ee68471d06c2', 'transform sif': 'eebab67b2d9afef3',
            'transform mean None': '0c69dbbd50c242a9', 'transform mean l2': 'be5c5c6ca0b4fed5',
            'transform sum None': 'ccd1b845eaceca5e', 'transform sum l2': '687c1c83d265151b',
            'transform idf None': 'ead09ce6ae8b691c', 'transform idf l2': 'a7d8d3618019b628',
            'transform max None': '217fa49d4fa73619', 'transform max l2': 'c77b3b3f5b2f1128',
        },
        ('cbow', 'hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '280f62da06f2fbed',
            'loss': 'b2b18639c6a8f548', 'idf+sif': '8a6b32dc7be890b6',
            'fit_transform': '06167ce7a2dcb3fa', 'transform sif': '4d0c88a4c8856d05',
            'transform mean None': '3f32c9932f16c272', 'transform mean l2': 'bffe78a9408316b7',
            'transform sum None': '556f270e98395574', 'transform sum l2': '2cbde1cab181f71b',
            'transform idf None': '1de3d5a0e18188f2', 'transform idf l2': '943daf5c7e5abd53',
            'transform max None': 'fe0097bd689f3642', 'transform max l2': '1a7ab75d556d30d0',
        },
        ('cbow', 'ns+hs', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'eb35358c9282d628',
            'loss': '3592ca0fb2d80f4e', 'idf+sif': '58b1e5ea95ba746d',
            'fit_transform': '5298e8f5a2338471', 'transform sif': '7382263442c1f0fd',
            'transform mean None': '39c1cf00c30c44dd', 'transform mean l2': '880abae772690137',
            'transform sum None': '4db1ef874688b6b9', 'transform sum l2': '01fd48108e7d3375',
            'transform idf None': '74f5538b3cf7e810', 'transform idf l2': '6620ec317a49c81c',
            'transform max None': '8017ce284731d196', 'transform max l2': '8df9972fb166d96a',
        },
        ('cbow', 'ns+hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '19c7e0af1609ffd1',
            'loss': '97a05f3350ee4ae4', 'idf+sif': '8d24e5f7579091fd',
            'fit_transform': '096db16145b6e0a0', 'transform sif': '126197c48df1725d',
            'transform mean None': 'ba009c838d142e36', 'transform mean l2': '74219721e2e28d02',
            'transform sum None': '65a75db76bb97d50', 'transform sum l2': '72b9ad1cb25a7c24',
            'transform idf None': 'de191b0b62c4b5b3', 'transform idf l2': '459386869facbbba',
            'transform max None': 'f8f5770f78089efc', 'transform max l2': '9a475ed547803f93',
        },
    },
    (22, "znver4"): {  # Numba 0.68
        ('skipgram', 'ns', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'f40f32c04f3517a6',
            'loss': '28b72ec0e73e7161', 'idf+sif': 'c184bdbbaa0d5de7',
            'fit_transform': '892190512cdb89b0', 'transform sif': 'b05f442346c42ac8',
            'transform mean None': 'afd7a97c2d6d1722', 'transform mean l2': 'c9bfa82cd46a1668',
            'transform sum None': '3a65a1b5a8eeb038', 'transform sum l2': 'b8aac267a5687c8d',
            'transform idf None': '775c48529a72441d', 'transform idf l2': 'b1cff6ff71ce9e05',
            'transform max None': '200f4188bf5fa6ae', 'transform max l2': '3b04dd6da186c315',
        },
        ('skipgram', 'ns', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '2e022151b9217e6f',
            'loss': '04350200f9aff5ee', 'idf+sif': '5688445c863bd527',
            'fit_transform': 'aefcbca1d985e2aa', 'transform sif': '493a319bf0921f41',
            'transform mean None': '747691ad66434a44', 'transform mean l2': 'b540b9400761a45b',
            'transform sum None': '85165fb33ace682c', 'transform sum l2': '2c81ce54b51682b3',
            'transform idf None': 'a75b41b97dac12db', 'transform idf l2': '25b98a0f291039f6',
            'transform max None': '6f9954592cf0db71', 'transform max l2': 'b13c520753432867',
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
            'words': 'dc2b4991f0b2241d', 'vectors': '26f08338c331ecc3',
            'loss': 'd440d0d4449e7811', 'idf+sif': '4901437ae752e56d',
            'fit_transform': '4bd9ed7d53534f36', 'transform sif': 'a8ee550cd46490ae',
            'transform mean None': '5651076896c3d864', 'transform mean l2': '0a45e1dd247b9292',
            'transform sum None': 'dc8416880d650076', 'transform sum l2': '091647380cc98442',
            'transform idf None': 'e2d6a831a652bdba', 'transform idf l2': '2fcc9579478f4174',
            'transform max None': '77f4bee71bbbaaad', 'transform max l2': 'e49600c5ed716e5d',
        },
        ('skipgram', 'ns+hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '103d5c0e16c80a66',
            'loss': 'bb14c9b95fd01bc3', 'idf+sif': '6a08634036fddd93',
            'fit_transform': '3d9c6f2c93b0dde8', 'transform sif': '85afbc603a194a4f',
            'transform mean None': '5e2aa47f49e7d026', 'transform mean l2': '7f3c0e5d7e115116',
            'transform sum None': 'c64ccfaa57487c13', 'transform sum l2': '93b82592f1383351',
            'transform idf None': '5e869eda10006944', 'transform idf l2': '95d308d0afe8a20f',
            'transform max None': '1185f83603c6de92', 'transform max l2': 'e25a78733f8b66a2',
        },
        ('cbow', 'ns', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '9fb69bfa9ffb8d2e',
            'loss': 'ddda95c3d2190534', 'idf+sif': '04a32af083d6e920',
            'fit_transform': '803a9e56897e702c', 'transform sif': 'bd6fe11a061c11da',
            'transform mean None': '802c2a54aa982700', 'transform mean l2': 'c064968aa2ea6e90',
            'transform sum None': '53b9d04d71eedf10', 'transform sum l2': '236d0b5df9c4b812',
            'transform idf None': 'b6aa76d06a646b14', 'transform idf l2': 'a8ed1a9438b856bf',
            'transform max None': '41c2a9e190bdd222', 'transform max l2': 'd785f93aa1cfad8e',
        },
        ('cbow', 'ns', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'f0f9be8608a03cda',
            'loss': '2ce1b528e56f219a', 'idf+sif': '592108f50f5cdc68',
            'fit_transform': '5d42bbb1a66a472d', 'transform sif': 'e071b17382cb155d',
            'transform mean None': 'd42544596d80452e', 'transform mean l2': '7034ca926a752533',
            'transform sum None': 'e896ca480e996a6e', 'transform sum l2': '50ed66c1782b3de2',
            'transform idf None': '86b4801a626c2437', 'transform idf l2': '70525b37c249a080',
            'transform max None': '26c728995376b94f', 'transform max l2': '1fb5e8d8451139b6',
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
            'words': 'dc2b4991f0b2241d', 'vectors': '6b6cb6fba0a97ab5',
            'loss': '3592ca0fb2d80f4e', 'idf+sif': 'a3890014bea205b9',
            'fit_transform': 'bd94bd0fbfb1753d', 'transform sif': 'b2012cee301c6eb1',
            'transform mean None': 'c5ba66a542175479', 'transform mean l2': 'b212333238c6a6fd',
            'transform sum None': 'a40b91365f5e1d69', 'transform sum l2': '19bf3e4e3c7fa018',
            'transform idf None': 'f583950a14562add', 'transform idf l2': 'cbf3d1ac5fc5aa32',
            'transform max None': '94c480708640a283', 'transform max l2': '2ff5fcfcf8c1176d',
        },
        ('cbow', 'ns+hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '8a2e73be4a69cf78',
            'loss': '393f3f6077357c6a', 'idf+sif': '48d4d3baddc57be3',
            'fit_transform': '23e4c52c87e26943', 'transform sif': 'fc559d5ff1484bc2',
            'transform mean None': '04ce17c8c67726b7', 'transform mean l2': 'e4e5feaeac0257fd',
            'transform sum None': '16c2eec703321777', 'transform sum l2': '10d3baa34b0f1674',
            'transform idf None': 'f58f1179e791518f', 'transform idf l2': 'bccdf5d0a93691b0',
            'transform max None': '809aef29d397bb1a', 'transform max l2': '71a7c7627ab9c81f',
        },
    },
}


@pytest.mark.parametrize("case", CASES, ids=["-".join(case) for case in CASES])
def test_fit_and_pooled_outputs_are_pinned(case):
    if TOOLCHAIN not in PINNED:
        pytest.skip(f"no pins for LLVM {TOOLCHAIN[0]} on {TOOLCHAIN[1]} (pinned: "
                    f"{sorted(PINNED)}); python tests/test_pinned_outputs.py prints its own")
    assert fingerprint(*case) == PINNED[TOOLCHAIN][case]


def test_the_fingerprint_sees_a_one_bit_change():
    base = np.arange(12, dtype=np.float32)
    changed = base.copy()
    changed.view(np.uint32)[7] ^= 1  # the lowest mantissa bit of one element
    assert _digest(base) != _digest(changed)
    assert _digest(base) != _digest(base.astype(np.float64))  # the dtype counts too


if __name__ == "__main__":
    print(f"# LLVM {TOOLCHAIN[0]} on {TOOLCHAIN[1]}")
    print("PINNED = {")
    for case in CASES:
        items = [f"{key!r}: {value!r}" for key, value in fingerprint(*case).items()]
        print(f"    {case!r}: {{")
        for k in range(0, len(items), 2):
            print("        " + ", ".join(items[k:k + 2]) + ",")
        print("    },")
    print("}")
