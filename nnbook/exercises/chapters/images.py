"""Exercises of the chapter *Image recognition* (``images``).

Chapter objects used: ``cnn`` (the trained digits CNN, softmax output, with a
layer named ``conv1``), ``X_test`` and ``y_test`` (the digits test set,
images of shape ``(8, 8, 1)`` in ``[0, 1]``), ``np``.
"""

from __future__ import annotations

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._reference import predict
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _conv1_params(cnn):
    return int(cnn.get_layer("conv1").count_params())


def _conv1_weights_only(cnn):
    kernel = cnn.get_layer("conv1").get_weights()[0]
    return int(kernel.size)


def _patch_occlusion(cnn, x, *, drop=True):
    x = np.asarray(x, np.float64)
    probs = predict(cnn, x[None])[0]
    c = int(np.argmax(probs))
    copies = []
    for i in range(0, 8, 2):
        for j in range(0, 8, 2):
            occluded = x.copy()
            occluded[i : i + 2, j : j + 2] = 0.0
            copies.append(occluded)
    p_occ = predict(cnn, np.stack(copies))[:, c].reshape(4, 4)
    return probs[c] - p_occ if drop else p_occ


def _inverted(cnn, X, y):
    acc = float(np.mean(predict(cnn, 1.0 - np.asarray(X, np.float64)).argmax(1) == y))
    base = float(np.mean(predict(cnn, X).argmax(1) == y))
    if acc >= base - 0.05:
        return "about the same"
    return "lower but above one half" if acc > 0.5 else "below one half"


def _deletion(cnn, x, attr, *, ascending=False, start=True):
    x = np.asarray(x, np.float64)
    c = int(np.argmax(predict(cnn, x[None])[0]))
    order = np.argsort(np.asarray(attr, np.float64).ravel())
    order = order if ascending else order[::-1]
    images, current = [x.copy()], x.copy().ravel()
    for k in order:
        current[k] = 0.0
        images.append(current.reshape(x.shape).copy())
    curve = predict(cnn, np.stack(images))[:, c]
    return curve if start else curve[1:]


register(
    Exercise(
        id="images.1",
        title="The parameters of a convolution",
        kind="value",
        level=1,
        statement="""\
How many parameters does the first convolution, `conv1`, have? Its 32
filters are 3 × 3 and read one input channel. Compute it from the shape of
its kernel, `cnn.get_layer("conv1").get_weights()[0].shape`. Answer with a
whole number.""",
        answer_name="n_params",
        answer_comment="a whole number",
        check_args="cnn=cnn",
        needs=("cnn",),
        reference=_conv1_params,
        judge=Numeric(integer=True, rtol=0, atol=0),
        hint="a kernel of shape (height, width, channels in, filters), plus one "
        "bias per filter.",
        mistakes=(
            Mistake(
                "Each filter also has a bias: add one per filter.", _conv1_weights_only
            ),
        ),
        solution="""\
kh, kw, c_in, filters = cnn.get_layer("conv1").get_weights()[0].shape
n_params = kh * kw * c_in * filters + filters""",
        explanation="""\
$3 \\times 3 \\times 1 \\times 32 + 32 = 320$. The same 320 numbers are
applied at every position of the image: that weight sharing is why a
convolution needs so few parameters. `cnn.get_layer("conv1").count_params()`
agrees.""",
        wrong_answers=(WrongAnswer("n_params = 3 * 3 * 32", "bias"),),
    ),
    Exercise(
        id="images.2",
        title="Patch occlusion by hand",
        kind="code",
        level=2,
        statement="""\
Write the occlusion loop for test image 0 (`x_img`, shape `(8, 8, 1)`):
slide a 2 × 2 patch of zeros over the image with a stride of 2 and record,
for each position, how much the probability of the class the CNN predicts
for the intact image *drops*. Answer: an array of shape `(4, 4)`, one entry
per patch position. Build all occluded copies first and call
`cnn.predict` once.""",
        setup="x_img = X_test[0]",
        answer_name="drops",
        answer_comment="one drop per patch position, shape (4, 4)",
        check_args="cnn=cnn, x=x_img",
        needs=("cnn", "X_test", "np"),
        reference=_patch_occlusion,
        judge=Numeric(rtol=1e-4, atol=1e-6),
        hint="two loops over i, j in range(0, 8, 2); copy the image before you "
        "zero x[i:i+2, j:j+2].",
        mistakes=(
            Mistake(
                "These are the probabilities of the occluded images; record "
                "the *drop*: the intact image's probability minus each of them.",
                lambda cnn, x: _patch_occlusion(cnn, x, drop=False),
            ),
        ),
        solution="""\
probs = cnn.predict(x_img[None], verbose=0)[0]
c = int(np.argmax(probs))  # the predicted class
copies = []
for i in range(0, 8, 2):
    for j in range(0, 8, 2):
        occluded = x_img.copy()
        occluded[i : i + 2, j : j + 2] = 0.0
        copies.append(occluded)
drops = probs[c] - cnn.predict(np.stack(copies), verbose=0)[:, c].reshape(4, 4)""",
        explanation="""\
Patches over background change nothing (the pixels were 0 already), so
their drop is exactly zero; the package's `patch_occlusion` spreads each
drop over the pixels of its patch and allows overlapping patches.""",
        wrong_answers=(
            WrongAnswer(
                "c = int(np.argmax(cnn.predict(x_img[None], verbose=0)[0]))\n"
                "copies = []\n"
                "for i in range(0, 8, 2):\n"
                "    for j in range(0, 8, 2):\n"
                "        occluded = x_img.copy()\n"
                "        occluded[i : i + 2, j : j + 2] = 0.0\n"
                "        copies.append(occluded)\n"
                "drops = cnn.predict(np.stack(copies), verbose=0)[:, c]"
                ".reshape(4, 4)",
                "drop",
            ),
            WrongAnswer(
                "probs = cnn.predict(x_img[None], verbose=0)[0]\n"
                "c = int(np.argmax(probs))\n"
                "copies = []\n"
                "for i in range(7):\n"
                "    for j in range(7):\n"
                "        occluded = x_img.copy()\n"
                "        occluded[i : i + 2, j : j + 2] = 0.0\n"
                "        copies.append(occluded)\n"
                "drops = probs[c] - cnn.predict(np.stack(copies), verbose=0)"
                "[:, c].reshape(7, 7)",
                "shape (4, 4)",
            ),
        ),
    ),
    Exercise(
        id="images.3",
        title="Invert the ink",
        kind="prediction",
        level=2,
        statement="""\
Before you run it, predict: if every test image is inverted, $x \\mapsto 1-x$,
so that the background becomes full ink and the strokes become background,
what test accuracy will the CNN reach? Answer `"about the same"`,
`"lower but above one half"` or `"below one half"`; then evaluate it on
`1 - X_test`.""",
        answer_name="prediction",
        answer_comment="one of the three options, as a string",
        check_args="cnn=cnn, X=X_test, y=y_test",
        needs=("cnn", "X_test", "y_test"),
        reference=_inverted,
        judge=Choice(
            options=("about the same", "lower but above one half", "below one half"),
            hints={
                "about the same": "The filters learned 'ink here, no ink there' from "
                "dark strokes on a blank page; an inverted image "
                "lights up nearly every pixel and matches none of "
                "them.",
                "lower but above one half": "Worse than that: the network never saw "
                "a page full of ink, and nothing in its "
                "training makes it treat 1 - x like x.",
            },
        ),
        hint="a human reads white-on-black digits easily. Did the network ever see "
        "one?",
        solution="""\
accuracy = np.mean(cnn.predict(X_test, verbose=0).argmax(axis=1) == y_test)
inverted = np.mean(cnn.predict(1.0 - X_test, verbose=0).argmax(axis=1) == y_test)
if inverted >= accuracy - 0.05:
    prediction = "about the same"
elif inverted > 0.5:
    prediction = "lower but above one half"
else:
    prediction = "below one half\"""",
        explanation="""\
The accuracy collapses. A network learns the statistics of its training
images, not the idea of a digit: a change a person ignores can take it far
outside what it has seen. Attribution maps on such inputs explain a
confused model.""",
        wrong_answers=(WrongAnswer('prediction = "about the same"', "matches none"),),
    ),
    Exercise(
        id="images.4",
        title="A deletion curve by hand",
        kind="code",
        level=3,
        statement="""\
Remove the pixels of test image 0 (`x_img`) one at a time in the order of
the attribution map `attr_ex` of the cell, *most important first*, setting
each removed pixel to 0 (the background). Record the probability of the
class the CNN predicts for the intact image, before any removal and after
each of the 64 removals. Answer: an array of shape `(65,)`. (The map is a
stand-in; any map works the same way.)""",
        setup="""\
x_img = X_test[0]
attr_ex = np.random.default_rng(0).normal(size=x_img.shape)  # a stand-in map""",
        answer_name="curve",
        answer_comment="65 probabilities, shape (65,)",
        check_args="cnn=cnn, x=x_img, attr=attr_ex",
        needs=("cnn", "X_test", "np"),
        reference=_deletion,
        judge=Numeric(rtol=1e-4, atol=1e-6),
        hint="order = np.argsort(-attr_ex.ravel()); work on a flat copy of the "
        "image and keep a copy after every removal.",
        mistakes=(
            Mistake(
                "Most important first: sort by *decreasing* attribution "
                "(np.argsort sorts ascending).",
                lambda cnn, x, attr: _deletion(cnn, x, attr, ascending=True),
            ),
        ),
        solution="""\
c = int(np.argmax(cnn.predict(x_img[None], verbose=0)[0]))
order = np.argsort(-attr_ex.ravel())  # most important first
current = x_img.copy().ravel()
images = [x_img.copy()]
for k in order:
    current[k] = 0.0
    images.append(current.reshape(x_img.shape).copy())
curve = cnn.predict(np.stack(images), verbose=0)[:, c]""",
        explanation="""\
The area under this curve is the deletion score of the chapter: the faster
the probability falls, the better the map ranks the evidence. A random map
like this one is the baseline every method must beat.""",
        wrong_answers=(
            WrongAnswer(
                "c = int(np.argmax(cnn.predict(x_img[None], verbose=0)[0]))\n"
                "current = x_img.copy().ravel()\n"
                "images = [x_img.copy()]\n"
                "for k in np.argsort(attr_ex.ravel()):\n"
                "    current[k] = 0.0\n"
                "    images.append(current.reshape(x_img.shape).copy())\n"
                "curve = cnn.predict(np.stack(images), verbose=0)[:, c]",
                "Most important first",
            ),
            WrongAnswer(
                "c = int(np.argmax(cnn.predict(x_img[None], verbose=0)[0]))\n"
                "current = x_img.copy().ravel()\n"
                "images = []\n"
                "for k in np.argsort(-attr_ex.ravel()):\n"
                "    current[k] = 0.0\n"
                "    images.append(current.reshape(x_img.shape).copy())\n"
                "curve = cnn.predict(np.stack(images), verbose=0)[:, c]",
                "shape (65,)",
            ),
        ),
    ),
)
