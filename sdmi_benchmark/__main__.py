"""`python -m sdmi_benchmark --case 1 --case 10 --case 10x5` (see benchmark.py)."""

from sdmi_benchmark.benchmark import main

main()
