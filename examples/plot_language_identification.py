"""
Language identification of a pandas column with fastText's lid.176
==================================================================

fastText's published language identifier, ``lid.176.ftz`` (176 languages, a 917 kB
product-quantized model), loaded into a :class:`~skw2v.Word2VecClassifier` with
:meth:`~skw2v.Word2VecClassifier.load`: no fastText installation, a scikit-learn classifier
that predicts a pandas column, goes into a ``Pipeline`` and pickles. It predicts what fastText
predicts (the same top label; ``benchmarks/bench_classifier.py`` measures it against
``fasttext`` on thousands of texts).

The texts are the translated messages of Django (its ``.po`` catalogs: form errors, admin
pages), whose language is known: :func:`skw2v.datasets.fetch_django_translations`.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skw2v import Word2VecClassifier
from skw2v.datasets import fetch_django_translations, fetch_lid176

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"

# %%
# The model and the texts
# -----------------------
# ``load`` reads the quantized model (decoding its product-quantized rows) and mirrors its
# settings: fastText tokenizes on whitespace without lowercasing, with character n-grams of
# 2 to 4 bytes and hierarchical softmax over the 176 languages.
lid = Word2VecClassifier.load(fetch_lid176())
print(lid)
print(f"{len(lid.classes_)} languages, {len(lid.wv_):,} words")

messages = fetch_django_translations(as_frame=True).frame
if QUICK:
    messages = messages.groupby("language").head(20)
print(f"{len(messages):,} messages in {messages['language'].nunique()} languages")
messages.head()

# %%
# Predicting a column
# -------------------
# ``predict`` takes the pandas column as it is; ``predict_proba`` gives the probability of
# every language (columns in ``classes_`` order).
messages["predicted"] = lid.predict(messages["text"])
messages["confidence"] = lid.predict_proba(messages["text"]).max(axis=1)
accuracy = (messages["predicted"] == messages["language"]).mean()
print(f"accuracy against the catalogs' languages: {accuracy:.3f}")
messages.sample(8, random_state=0)[["language", "predicted", "confidence", "text"]]

# %%
# Where it errs
# -------------
# Short interface messages in closely related languages (Bosnian, Croatian and Serbian; the
# Norwegian variants; Indonesian and Malay) are the hardest; confident predictions are
# almost always right.
per_language = (messages.assign(right=messages["predicted"] == messages["language"])
                .groupby("language")["right"].agg(["mean", "size"]))
print(per_language.sort_values("mean").head(8))
bins = np.linspace(0, 1, 11)
messages["bin"] = pd.cut(messages["confidence"], bins, include_lowest=True)
calibration = (messages.assign(right=messages["predicted"] == messages["language"])
               .groupby("bin", observed=True)["right"].agg(["mean", "size"]))
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
centres = [interval.mid for interval in calibration.index]
ax.bar(centres, calibration["mean"], width=0.08, color="tab:blue")
for x, (mean, size) in zip(centres, calibration.itertuples(index=False), strict=True):
    ax.text(x, mean + 0.02, f"{size}", ha="center", fontsize=7)
ax.plot([0, 1], [0, 1], color="grey", linestyle="--")
ax.set_xlabel("predicted probability of the top language")
ax.set_ylabel("share right")
ax.set_title("lid.176 on Django's messages (counts above the bars)")
plt.show()
