"""Fixtures of the text-estimator tests."""

import time

import pytest


@pytest.fixture
def assert_linear_time():
    """Check that ``function(make_input(4 * n))`` takes less than ~4x ``make_input(n)``.

    A ratio between two sizes, never an absolute time (our tests do not assert
    wall-clock times): the bound ``8 x time(n) + 0.5 s`` leaves room for noise
    and a loaded machine, and still fails a quadratic step, whose ratio is 16.
    Each size is timed three times and the best time kept.
    """

    def check(function, make_input, n):
        def best_time(size):
            arg = make_input(size)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                function(arg)
                times.append(time.perf_counter() - start)
            return min(times)

        small, large = best_time(n), best_time(4 * n)
        assert large < 8 * small + 0.5, (
            f"{n} -> {4 * n}: {small:.3f} s -> {large:.3f} s, worse than linear"
        )

    return check
