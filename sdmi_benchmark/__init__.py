"""The benchmark of `sdmi build` against its peers (`python -m sdmi_benchmark`); a tool, not the pipeline."""
