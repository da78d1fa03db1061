"""The BLAS thread chooser trains with the count that is fastest now, and notices change."""

from __future__ import annotations

from digitapp.app.blas_threads import BlasChooser, candidate_counts


def drive(chooser: BlasChooser, speed: dict[int, float], batches: int) -> list[int]:
    """Feed `batches` batch durations (speed[current count]); return the counts used."""
    used = []
    for _ in range(batches):
        used.append(chooser.current)
        chooser.batch_done(speed[chooser.current])
    return used


def test_it_keeps_the_faster_count_and_prefers_fewer_threads_on_a_tie():
    applied = []
    chooser = BlasChooser((1, 2), applied.append, probe=5, settle=1, every=100)
    used = drive(chooser, {1: 1.0, 2: 0.8}, 60)  # quiet machine: two threads are faster
    assert applied == [1, 2] and chooser.current == 2
    assert used[-48:] == [2] * 48  # after the 12 probing batches, two threads only

    tie = BlasChooser((1, 2), lambda n: None, probe=5, settle=1, every=100)
    drive(tie, {1: 1.0, 2: 0.98}, 20)  # within the margin: the safer single thread
    assert tie.current == 1


def test_a_hopeless_candidate_is_dropped_after_a_glance():
    chooser = BlasChooser((1, 2), lambda n: None, probe=30, settle=3, every=2000)
    used = drive(chooser, {1: 1.0, 2: 7.0}, 100)  # a busy machine: two threads crawl
    assert chooser.current == 1
    assert used.count(2) == 3 + 4  # settle, then a glance of four batches


def test_a_slowdown_or_the_period_sends_it_back_to_probing():
    chooser = BlasChooser((1, 2), lambda n: None, probe=5, settle=1, every=100)
    drive(chooser, {1: 1.0, 2: 0.8}, 20)
    assert chooser.current == 2
    # Another job takes a core: two threads become 7x slower. Within a few batches the
    # chooser notices, probes again and settles on one thread.
    used = drive(chooser, {1: 1.2, 2: 5.6}, 40)
    assert chooser.current == 1 and used.count(2) < 15
    # Periodic look: the load goes away, and after `every` batches it goes back to two.
    drive(chooser, {1: 1.0, 2: 0.8}, 130)
    assert chooser.current == 2


def test_candidates_are_one_two_and_all_cores_but_one():
    assert candidate_counts(1) == (1,)
    assert candidate_counts(2) == (1, 2)
    assert candidate_counts(8) == (1, 2, 7)
    assert candidate_counts(None) == (1,)
