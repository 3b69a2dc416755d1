"""The benchmark: a few figures of the product, each beside the floor it cannot beat.

Run it with ``make bench SIZE=10000`` or ``python -m bench --size 10000 [--only home|import|pdf]``.
It builds its own throwaway database (``bench.runner``) and what every case needs (``bench.cases``);
it never touches the development database or the checkout's media folder.
"""
