"""Compute perplexity of the tiny model on held-out sentences (example evaluation code)."""

import math


def perplexity(log_likelihoods: list[float]) -> float:
    """Perplexity from per-token log-likelihoods."""
    return math.exp(-sum(log_likelihoods) / len(log_likelihoods))


if __name__ == "__main__":
    print(perplexity([-6.7, -6.6, -6.8, -6.7]))
