"""Sample raw files calibrated to published figures, apart from the pipeline's code (data/raw/README.md).

Nothing in the pipeline imports this package; only the commands that write samples do
(`sdmi generate`, `python -m sdmi_pipeline.samples.<module>`).
"""
