"""Shared test set-up: headless plotting, closed figures, fixed seeds."""

from __future__ import annotations

import random

import matplotlib

# Agg for figures drawn inside the test process only. MPLBACKEND is deliberately NOT set:
# notebook kernels inherit the environment and would then produce no inline figures.
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _seed_and_close():
    random.seed(12345)
    np.random.seed(12345)
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def demo():
    """The default demo company as shipped in data/demo (read through load_example)."""
    from cxlab.datasets import load_example

    return load_example()
