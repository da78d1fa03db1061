"""Helpers for the tests, the benchmarks and the screenshot tools: not part of the product.

    stroke_digits       digits drawn as pen strokes (templates and random variations)
    nondigit_drawings   letters, symbols, doodles, scribbles, dots and lines as strokes
                        (train / held_out splits of templates and seeds)
    mouse_drawing       replays a drawing on the Draw tab's canvas as real mouse events,
                        and reads the tab's answer (draw_and_read)
    embedding_quality   how faithful a 2-D map is (trustworthiness, same-class neighbours)
    shown_predictions   waits for the Draw tab's answer to a change (its prediction_shown)
    unfamiliar_digits   digits from sources nothing is trained on (typed, a second hand,
                        blown-up low-resolution scans): the not-a-digit check's other side
    number_drawings     numbers of 2-6 stroke digits in four hands with gaps from wide to
                        touching (numbers' tests and benchmarks), and plain test digits

The product (`digitapp`) never imports this package (an import-linter contract checks it),
so neither the wheel (only `digitapp*` packages) nor the frozen app (built from the
product's imports) contains it. The tests find it through pytest's `pythonpath = ["."]`;
benchmarks and tools put the repository root on sys.path themselves.
"""
