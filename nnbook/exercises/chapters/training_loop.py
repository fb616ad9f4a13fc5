"""Exercises of the chapter *The training loop* (``training_loop``).

Chapter objects used: ``data`` (the article's data), ``np``. The answer
cells build their own small arrays, so they do not depend on the chapter's
from-scratch functions.
"""

from __future__ import annotations

import math

import numpy as np

from .._judges import Choice, Mistake, Numeric
from .._registry import Exercise, WrongAnswer, register

__all__: list[str] = []


def _steps(n, batch_size, epochs):
    return math.ceil(n / batch_size) * epochs


def _grad_w2(a1, y_hat, y, *, mean=True, slope=False):
    dz2 = np.asarray(y_hat, np.float64) - y
    if slope:
        dz2 = dz2 * y_hat * (1 - y_hat)
    if mean:
        dz2 = dz2 / len(y)
    return np.asarray(a1, np.float64).T @ dz2[:, None]


def _adam_first_step(g, lr):
    g = np.asarray(g, np.float64)
    b1, b2, eps = 0.9, 0.999, 1e-7
    m, v = (1 - b1) * g, (1 - b2) * g**2
    step = lr * math.sqrt(1 - b2) / (1 - b1) * m / (np.sqrt(v) + eps)
    if np.allclose(step, 0):
        return "zero"
    if np.allclose(np.abs(step), lr, rtol=0.01):
        return "same size"
    return "proportional"


def _early_stopping(val_losses, patience, *, zero_based=False):
    best, wait, epoch = 0, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if best == 0 or loss < val_losses[best - 1]:
            best, wait = epoch, 0
        else:
            wait += 1
            if wait == patience:
                break
    return np.array([epoch, best - 1 if zero_based else best], dtype=np.float64)


register(
    Exercise(
        id="training_loop.1",
        title="Steps in ten epochs",
        kind="value",
        level=1,
        statement="""\
The chapter trains on `n_train` = 800 samples in mini-batches of 32: 25
gradient-descent steps per epoch. How many steps do 10 epochs take with
mini-batches of 48? The last mini-batch of an epoch is smaller when 48 does
not divide the number of samples. Answer with a whole number.""",
        setup="n_train = len(data.X_train)",
        answer_name="n_steps",
        answer_comment="a whole number",
        check_args="n=n_train, batch_size=48, epochs=10",
        needs=("data",),
        reference=_steps,
        judge=Numeric(integer=True, rtol=0, atol=0),
        hint="count the mini-batches of one epoch first, the smaller last one "
        "included.",
        mistakes=(
            Mistake(
                "A fraction of a step? Every mini-batch, even the smaller last "
                "one, is one step: round the number per epoch up.",
                lambda n, batch_size, epochs: n / batch_size * epochs,
            ),
            Mistake(
                "The samples left over after the full batches form one more, "
                "smaller batch: round up, not down.",
                lambda n, batch_size, epochs: n // batch_size * epochs,
            ),
        ),
        solution="n_steps = -(-n_train // 48) * 10  # ceil(800 / 48) = 17 per epoch",
        explanation="""\
$\\lceil 800/48 \\rceil = 17$ mini-batches per epoch: 16 of 48 samples and a
last one of 32. `math.ceil(n_train / 48) * 10` says the same.""",
        wrong_answers=(
            WrongAnswer("n_steps = n_train // 48 * 10", "round up"),
            WrongAnswer("n_steps = n_train / 48 * 10", "fraction"),
        ),
    ),
    Exercise(
        id="training_loop.2",
        title="Backpropagation into the output layer",
        kind="code",
        level=2,
        statement="""\
Step 4 starts from $\\partial L/\\partial z_2 = (\\hat y - y)/n$ and goes back
through the output layer. For the mini-batch of 8 samples in the cell
(hidden activations `a1_ex`, shape `(8, 10)`; probabilities `y_hat_ex` and
labels `y_ex`, shape `(8,)`), compute the gradient of the mean binary
cross-entropy with respect to the output kernel $W_2$, shape `(10, 1)`, as
the chapter's `backward` does.""",
        setup="""\
rng_ex = np.random.default_rng(0)
a1_ex = np.maximum(rng_ex.normal(size=(8, 10)), 0)  # hidden activations
y_hat_ex = rng_ex.uniform(0.05, 0.95, size=8)  # predicted probabilities
y_ex = rng_ex.integers(0, 2, size=8).astype(float)  # labels""",
        answer_name="grad_W2",
        answer_comment="dL/dW2, shape (10, 1)",
        check_args="a1=a1_ex, y_hat=y_hat_ex, y=y_ex",
        needs=("np",),
        reference=_grad_w2,
        judge=Numeric(rtol=1e-9, atol=1e-12),
        hint="dL/dz2 has one entry per sample; the kernel's gradient sums "
        "a1 times it over the samples: a matrix product.",
        mistakes=(
            Mistake(
                "n times too large: the loss is the mean over the n samples, "
                "so its gradient carries a factor 1/n.",
                lambda a1, y_hat, y: _grad_w2(a1, y_hat, y, mean=False),
            ),
            Mistake(
                "You multiplied by the sigmoid's slope y_hat (1 - y_hat): for "
                "binary cross-entropy it cancels, and dL/dz2 = (y_hat - y) / n.",
                lambda a1, y_hat, y: _grad_w2(a1, y_hat, y, slope=True),
            ),
        ),
        solution="""\
dz2 = ((y_hat_ex - y_ex) / len(y_ex))[:, None]  # dL/dz2, shape (8, 1)
grad_W2 = a1_ex.T @ dz2  # (10, 8) @ (8, 1)""",
        explanation="""\
Each sample's logit is $z_2 = a_1 W_2 + b_2$, so $\\partial z_2/\\partial W_2 =
a_1^\\top$; the chain rule sums the per-sample products, which is the matrix
product $a_1^\\top\\,\\partial L/\\partial z_2$.""",
        wrong_answers=(
            WrongAnswer("grad_W2 = a1_ex.T @ (y_hat_ex - y_ex)[:, None]", "1/n"),
            WrongAnswer(
                "grad_W2 = a1_ex.T @ ((y_ex - y_hat_ex) / 8)[:, None]",
                "sign is flipped",
            ),
            WrongAnswer(
                "grad_W2 = a1_ex.T @ ((y_hat_ex - y_ex) * y_hat_ex"
                " * (1 - y_hat_ex) / 8)[:, None]",
                "sigmoid's slope",
            ),
            WrongAnswer("grad_W2 = a1_ex.T @ (y_hat_ex - y_ex) / 8", "shape (10, 1)"),
        ),
    ),
    Exercise(
        id="training_loop.3",
        title="Adam's first step",
        kind="prediction",
        level=2,
        statement="""\
Adam, as the chapter writes it ($\\beta_1 = 0.9$, $\\beta_2 = 0.999$,
$\\epsilon = 10^{-7}$), starts with $m = v = 0$. The cell gives four weights'
gradients `g_ex`, from tiny to large, and a learning rate `lr_ex`. Before
you compute anything, predict: after Adam's first step, how does each
weight's change depend on the size of its gradient? Answer
`"proportional"` (as with SGD), `"same size"` (every weight moves by about
the learning rate) or `"zero"`; then compute the step.""",
        setup="g_ex, lr_ex = np.array([1e-3, 0.1, -2.0, 50.0]), 0.01",
        answer_name="prediction",
        answer_comment='"proportional", "same size" or "zero"',
        check_args="g=g_ex, lr=lr_ex",
        needs=("np",),
        reference=_adam_first_step,
        judge=Choice(
            options=("proportional", "same size", "zero"),
            hints={
                "proportional": "That is SGD. Adam divides by the square root of v, "
                "the running size of the gradient: at the first step "
                "m / sqrt(v) is about sign(g), whatever |g| is.",
                "zero": "m and v start at zero, but the first step updates them "
                "before the weights move.",
            },
        ),
        hint="write m and v after one update from zero, then the step "
        "alpha_1 m / (sqrt(v) + eps).",
        solution="""\
beta1, beta2, eps = 0.9, 0.999, 1e-7
m = (1 - beta1) * g_ex  # both running means start at zero
v = (1 - beta2) * g_ex**2
alpha = lr_ex * np.sqrt(1 - beta2) / (1 - beta1)
step = alpha * m / (np.sqrt(v) + eps)
same = np.allclose(np.abs(step), lr_ex, rtol=0.01)
prediction = "same size" if same else "proportional\"""",
        explanation="""\
After one update $m = (1-\\beta_1) g$ and $\\sqrt v = \\sqrt{1-\\beta_2}\\,|g|$,
and $\\alpha_1 = \\mathrm{lr}\\sqrt{1-\\beta_2}/(1-\\beta_1)$ cancels both
factors: the step is $\\mathrm{lr}\\cdot\\operatorname{sign}(g)$ up to
$\\epsilon$. That is why Adam hides small gradients, as the loss chapter
sees with mean squared error.""",
        wrong_answers=(WrongAnswer('prediction = "proportional"', "That is SGD"),),
    ),
    Exercise(
        id="training_loop.4",
        title="The rule of early stopping",
        kind="code",
        level=3,
        statement="""\
Write early stopping: given the validation loss after each epoch (`val_ex`)
and a patience (`patience_ex`), find the epoch after which training stops
(when `patience_ex` epochs in a row have not improved on the best loss) and
the best epoch, whose weights are kept. Count epochs from 1, as the chapter
does. Answer: `(stopped, best)`.""",
        setup="""\
val_ex = [0.69, 0.61, 0.57, 0.58, 0.55, 0.56, 0.57, 0.58, 0.60, 0.59]
patience_ex = 3""",
        answer_name="stopped_best",
        answer_comment="(stopped, best), two whole numbers",
        check_args="val_losses=val_ex, patience=patience_ex",
        needs=(),
        reference=_early_stopping,
        judge=Numeric(rtol=0, atol=0),
        hint="walk through the epochs, remember the best loss so far and count "
        "the epochs since it.",
        mistakes=(
            Mistake(
                "Epochs count from 1: the best epoch is its index plus one.",
                lambda val_losses, patience: _early_stopping(
                    val_losses, patience, zero_based=True
                ),
            ),
            Mistake(
                "Training stops as soon as `patience` epochs in a row have "
                "not improved, not one epoch later.",
                lambda val_losses, patience: (
                    _early_stopping(val_losses, patience) + [1, 0]
                ),
            ),
        ),
        solution="""\
best, wait = 0, 0
for epoch, loss in enumerate(val_ex, start=1):
    if best == 0 or loss < val_ex[best - 1]:
        best, wait = epoch, 0  # a new best: keep these weights
    else:
        wait += 1
        if wait == patience_ex:
            break
stopped_best = (epoch, best)""",
        explanation="""\
The loss is lowest after epoch 5; epochs 6, 7 and 8 do not improve on it,
so with a patience of 3 training stops after epoch 8 and restores the
weights of epoch 5. `keras.callbacks.EarlyStopping(patience=3,
restore_best_weights=True)` does the same.""",
        wrong_answers=(
            WrongAnswer("stopped_best = (8, int(np.argmin(val_ex)))", "count from 1"),
            WrongAnswer("stopped_best = (5, 8)", "wrong order"),
        ),
    ),
)
