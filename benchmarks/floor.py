r"""The floor for any scalar engine in Python: the demo step written by hand over floats.

Forward propagation and the four equations of backpropagation for
micrograd's demo task (see ``demo_task.py``), with plain Python lists and
loops and no object per operation. For one example x with label y:

    z^l = W^l a^{l-1} + b^l,  a^l = relu(z^l) (l < L),  s = z^L  (a linear output)
    loss_i = relu(1 - y s):   ∂loss_i/∂s = -y if 1 - y s > 0 else 0
    δ^L = (1/m) ∂loss_i/∂s                                 (BP1, averaged cost)
    δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ relu'(z^l)               (BP2)
    ∂C/∂b^l_j += δ^l_j,  ∂C/∂w^l_jk += a^{l-1}_k δ^l_j      (BP3, BP4)

plus the L2 term α Σ θ², whose gradient is 2αθ. No engine can do the same
arithmetic in less Python: this is what replay mode is measured against.
"""

from __future__ import annotations

Layer = tuple[list[list[float]], list[float]]


def floor_step(layers: list[Layer], X: list[list[float]], y: list[float], alpha: float, lr: float) -> float:
    """One full-batch step in place on ``layers`` ([(W^l, b^l)], W^l[j][k] = w^l_jk); returns C."""
    m = len(X)
    L = len(layers)
    nabla_W = [[[0.0] * len(row) for row in W] for W, _ in layers]
    nabla_b = [[0.0] * len(b) for _, b in layers]
    data_loss = 0.0
    for x, y_i in zip(X, y):
        activations = [x]
        zs = []
        a = x
        for l, (W, b) in enumerate(layers):  # forward
            z = []
            for row, b_j in zip(W, b):
                total = row[0] * a[0]
                for k in range(1, len(row)):
                    total += row[k] * a[k]
                z.append(total + b_j)
            zs.append(z)
            a = [z_j if z_j > 0 else 0.0 for z_j in z] if l < L - 1 else z
            activations.append(a)
        margin = 1.0 - y_i * a[0]
        if margin > 0:
            data_loss += margin
            delta = [-y_i / m]  # BP1
        else:
            delta = [0.0]
        for l in range(L - 1, -1, -1):  # BP3, BP4, then BP2 for the layer below
            a_prev = activations[l]
            nW, nb = nabla_W[l], nabla_b[l]
            for j, d in enumerate(delta):
                if d:
                    nb[j] += d
                    row = nW[j]
                    for k, a_k in enumerate(a_prev):
                        row[k] += a_k * d
            if l:
                W = layers[l][0]
                z_prev = zs[l - 1]
                delta = [
                    sum(W[j][k] * delta[j] for j in range(len(delta))) if z_prev[k] > 0 else 0.0
                    for k in range(len(a_prev))
                ]
    reg = 0.0
    for (W, b), nW, nb in zip(layers, nabla_W, nabla_b):  # L2 and the update
        for row, n_row in zip(W, nW):
            for k, w in enumerate(row):
                reg += w * w
                row[k] = w - lr * (n_row[k] + 2 * alpha * w)
        for j, b_j in enumerate(b):
            reg += b_j * b_j
            b[j] = b_j - lr * (nb[j] + 2 * alpha * b_j)
    return data_loss / m + alpha * reg
