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
#: 26): the float32 sums run in another order. How a sum is
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
            'words': 'dc2b4991f0b2241d', 'vectors': '6c50fafe4a7f7242',
            'loss': '1045068bb1daa600', 'idf+sif': 'c9cd27d93b30f7f3',
            'fit_transform': '79cbfb27f1de9981', 'transform sif': '243c69ebdf9c2fc1',
            'transform mean None': '9fdac707eff055ba', 'transform mean l2': 'fb5e4f2a204121f6',
            'transform sum None': '3901b88a3770c580', 'transform sum l2': '10ed4a8e58f06f47',
            'transform idf None': '9aeba40c0fb89514', 'transform idf l2': 'a7c70cab11420311',
            'transform max None': '0c061fae4c480a24', 'transform max l2': '7a07ead1ec7d2266',
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
            'words': 'dc2b4991f0b2241d', 'vectors': '5cd5a7a1b91805eb',
            'loss': 'dd7cc3bfe6cfc58e', 'idf+sif': 'f4a677f6d51affc6',
            'fit_transform': '3b13d2362704edf0', 'transform sif': 'fca672df288db172',
            'transform mean None': 'daf4491d94a86a7e', 'transform mean l2': '19dd07ae4fa601a5',
            'transform sum None': '18a467a552fba39d', 'transform sum l2': 'e26d19d4efc68f7a',
            'transform idf None': '3db06b713261fd0b', 'transform idf l2': '47429e93f6938a2b',
            'transform max None': 'fc4d6c23d0568ffb', 'transform max l2': '68e1c18e7f408c93',
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
            'words': 'dc2b4991f0b2241d', 'vectors': '934ed819e1bc5948',
            'loss': '43befd2d99ea2c88', 'idf+sif': '9a05919fc657b79b',
            'fit_transform': 'faa2d2ebb9c953a1', 'transform sif': '140e8a4c0481da5f',
            'transform mean None': '0fc7b42194da64c5', 'transform mean l2': 'f83b682b5abc54c5',
            'transform sum None': '721bce7169d18515', 'transform sum l2': '79ab16a27ffde113',
            'transform idf None': 'bd14fc77f53a3b7b', 'transform idf l2': '1d559af9b8b88758',
            'transform max None': '6cd9e3cfb5668a07', 'transform max l2': '0fb3559648e3b874',
        },
        ('cbow', 'ns', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': 'f84373982dba2470',
            'loss': '07eb40edef476fbe', 'idf+sif': '5bb710b016daea81',
            'fit_transform': '67f20f37248690e3', 'transform sif': '061fe7c692e7ddee',
            'transform mean None': 'd25315ad20660232', 'transform mean l2': '15b7b563fcab7336',
            'transform sum None': 'a081a49c6210dda9', 'transform sum l2': 'f146e5b758753a02',
            'transform idf None': 'ae6e108679ae2147', 'transform idf l2': '050e4db8a3c95e12',
            'transform max None': '424c28475b5169fc', 'transform max l2': '6a83d83c82baf669',
        },
        ('cbow', 'ns', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '3e8b1a7cda28e70c',
            'loss': 'cd616840869f7ec6', 'idf+sif': '7fdaafb4eec05826',
            'fit_transform': 'f0e2a4408cc4bc5f', 'transform sif': 'c5961b0539e816a1',
            'transform mean None': '9f7ef340e805b776', 'transform mean l2': 'f2f85c5810e25644',
            'transform sum None': '9189b9fbc7ed7831', 'transform sum l2': 'df8e7667b1e9575d',
            'transform idf None': '1b6a7168fbac4faf', 'transform idf l2': '3ac7ffb372406091',
            'transform max None': 'b75dacadb00d99d9', 'transform max l2': '53dd8a36267058a0',
        },
        ('cbow', 'hs', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '1afe4f1fa5047bc9',
            'loss': '2ee13e42de8e497f', 'idf+sif': '7d292c155415bf15',
            'fit_transform': '1a327b988f3d7b61', 'transform sif': '01a0b9a140492be5',
            'transform mean None': '9e2111cd1974737c', 'transform mean l2': '3a71ddd087076df2',
            'transform sum None': 'cab6568108d62bd5', 'transform sum l2': '589fe3b9812b56b8',
            'transform idf None': 'c6a8c2ff97cacc68', 'transform idf l2': 'dc6d520c19c1125e',
            'transform max None': 'b2805169aacd7d5c', 'transform max l2': '7c690f6360eae039',
        },
        ('cbow', 'hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '85be147447f49a21',
            'loss': 'b2b18639c6a8f548', 'idf+sif': '2c05582c394f52c5',
            'fit_transform': '337ac1db2348482a', 'transform sif': '30fc1e6d419a7f8c',
            'transform mean None': '34abff028d14badf', 'transform mean l2': 'acf681500e7e76bc',
            'transform sum None': 'a52ed0bc5f167900', 'transform sum l2': '3b396b81066005a6',
            'transform idf None': 'df5b10da6b253407', 'transform idf l2': '1b165b488531637d',
            'transform max None': '2d80de660047cbb2', 'transform max l2': 'e384680b5cd2fb85',
        },
        ('cbow', 'ns+hs', 'words'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '5ccf195cc918d422',
            'loss': '01a81723a6bd2b83', 'idf+sif': '2b5e5086b2d361a1',
            'fit_transform': 'c88594941380dc9a', 'transform sif': '446eb275cbeea359',
            'transform mean None': '05d1e712098235f3', 'transform mean l2': '78e483445dcdc0fc',
            'transform sum None': 'aeee68bf66acfd20', 'transform sum l2': '8ba91aae0d6dd898',
            'transform idf None': '8d417c9d8bfa79ee', 'transform idf l2': '79fdf4f81dd15660',
            'transform max None': '0d4027fadd0d2fff', 'transform max l2': '757f9d50eac16f6d',
        },
        ('cbow', 'ns+hs', 'subwords'): {
            'words': 'dc2b4991f0b2241d', 'vectors': '778011a92ab1bb4d',
            'loss': '6005373cdfeedb32', 'idf+sif': '50e7d8e2cc562aea',
            'fit_transform': '3781e1b4091d185e', 'transform sif': '42b9513f690aa601',
            'transform mean None': '304d9beaa6070344', 'transform mean l2': '7f1e719a9af2fadc',
            'transform sum None': 'e4e1bedfaa6edf1d', 'transform sum l2': '301e8f5ba9cec654',
            'transform idf None': 'aa6ed6fbffbb492b', 'transform idf l2': '57d4d355a4a15de2',
            'transform max None': '8ac6d465083e3ef7', 'transform max l2': '7d1cbfbaa38500f0',
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
            'words': 'dc2b4991f0b2241d', 'vectors': '26f08338c331ecc3',
            'loss': 'd440d0d4449e7811', 'idf+sif': '4901437ae752e56d',
            'fit_transform': '4bd9ed7d53534f36', 'transform sif': 'a8ee550cd46490ae',
            'transform mean None': '5651076896c3d864', 'transform mean l2': '0a45e1dd247b9292',
            'transform sum None': 'dc8416880d650076', 'transform sum l2': '091647380cc98442',
            'transform idf None': 'e2d6a831a652bdba', 'transform idf l2': '2fcc9579478f4174',
            'transform max None': '77f4bee71bbbaaad', 'transform max l2': 'e49600c5ed716e5d',
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
