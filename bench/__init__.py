"""The county-scale benchmark (`make bench`): a generated dataset, then one table of timings.

Never part of `make test`. Run `python -m bench.run --help` for the options; see README,
"Performance".
"""
