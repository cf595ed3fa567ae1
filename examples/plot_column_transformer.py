"""
A text column next to numeric columns: ColumnTransformer
========================================================

Real tables rarely hold only text. Here a pandas DataFrame has the Rotten Tomatoes review
snippet in a ``"review"`` column and two numeric columns computed from it: the length of the
review in words and the number of exclamation marks. A
:class:`~sklearn.compose.ColumnTransformer` sends the text column to
``Word2VecVectorizer`` (which takes a pandas text column as it is) and the numeric columns to
a :class:`~sklearn.preprocessing.StandardScaler`; a logistic regression classifies the
concatenated features. ``set_output(transform="pandas")`` then shows the names of the
features the classifier sees.

The documentation runs this example in quick mode (``SKW2V_EXAMPLE_QUICK=1``): a third of
the snippets (4,270) and 10 epochs, instead of all 12,808 and 20 epochs
(``SKW2V_EXAMPLE_QUICK=0``). With less text the word vectors classify less well (about 0.65
against the majority rate of 0.58; the full-size pipeline of
:doc:`plot_sentiment_pipeline` reaches about 0.72), but the comparison is the same: the
text carries the signal, the numeric columns add nothing.
"""

import os

import matplotlib.pyplot as plt
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_rotten_tomatoes

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"

# %%
# A DataFrame with a text column
# ------------------------------
# ``as_frame=True`` gives the snippets as a DataFrame (columns ``text`` and ``label``). The
# numeric columns are made up from the text, as a stand-in for the metadata a real table
# would carry next to it (a rating, a date, a price...).
frame = fetch_rotten_tomatoes(as_frame=True).frame.rename(columns={"text": "review"})
if QUICK:
    frame = frame.iloc[::3].reset_index(drop=True)
frame["n_words"] = frame["review"].str.split().str.len()
frame["n_exclamations"] = frame["review"].str.count("!")
y = frame.pop("label")
print(frame.head())
print(f"\n{len(frame):,} reviews, {y.mean():.1%} fresh")
print("mean of the numeric columns by label:")
print(frame[["n_words", "n_exclamations"]].groupby(y.map({0: "rotten", 1: "fresh"})).mean()
      .round(3))

# %%
# The column transformer
# ----------------------
# The text column is named by a string, ``"review"``, so the vectorizer receives a 1-D
# Series of strings; the scaler gets a list of columns, so a 2-D DataFrame.
epochs = 10 if QUICK else 20


def word2vec():
    return Word2VecVectorizer(vector_size=100, min_count=2, epochs=epochs, pooling="sif",
                              norm="l2", n_jobs=-1, random_state=0)


numeric = ["n_words", "n_exclamations"]
features = ColumnTransformer([
    ("w2v", word2vec(), "review"),
    ("num", StandardScaler(), numeric),
])
model = make_pipeline(features, LogisticRegression(C=10.0, max_iter=2000))

# %%
# Cross-validated accuracy of the whole model, against each part alone. The text carries the
# signal: fresh and rotten snippets have the same length and as few exclamation marks, so the
# numeric columns alone score the majority-class rate and add little to the text.
candidates = {
    "numeric columns only": make_pipeline(
        ColumnTransformer([("num", StandardScaler(), numeric)]), LogisticRegression()),
    "review only (word2vec)": make_pipeline(
        ColumnTransformer([("w2v", word2vec(), "review")]),
        LogisticRegression(C=10.0, max_iter=2000)),
    "review + numeric columns": model,
}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = {}
print(f"\n{'features':<26}{'accuracy':>10}{'std':>8}")
for name, candidate in candidates.items():
    scores[name] = cross_val_score(candidate, frame, y, cv=cv, scoring="accuracy")
    print(f"{name:<26}{scores[name].mean():>10.3f}{scores[name].std():>8.3f}", flush=True)

# %%
# Feature names with ``set_output``
# ---------------------------------
# With pandas output the column transformer returns a DataFrame whose columns are prefixed by
# the name of their transformer: ``w2v__word2vecvectorizer0`` ... ``w2v__word2vecvectorizer99``
# for the document-vector dimensions, then the scaled numeric columns.
features.set_output(transform="pandas")
transformed = features.fit_transform(frame)
print(f"\n{type(transformed).__name__} of shape {transformed.shape}")
print(list(transformed.columns[:3]), "...", list(transformed.columns[-4:]))
print(transformed.iloc[:3, [0, 1, -2, -1]].round(3).to_string())

# %%
# The mean accuracy of the three feature sets, with the standard deviation over the folds.
fig, ax = plt.subplots(figsize=(7, 3))
names = list(scores)
ax.barh(range(len(names)), [scores[n].mean() for n in names],
        xerr=[scores[n].std() for n in names], color="tab:blue", capsize=3)
ax.set_yticks(range(len(names)), names)
ax.axvline(max(y.mean(), 1 - y.mean()), color="grey", linestyle="--", label="majority class")
ax.set_xlim(0.5, None)
ax.set_xlabel("cross-validated accuracy (5 folds)")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()
