"""Running the pipeline: automation, partitions, up to date, healing, the build lock, progress, status."""
