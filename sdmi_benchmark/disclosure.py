"""Disclosure control alone, as a release applies it: `python -m sdmi_benchmark.disclosure WAREHOUSE
[EARLIER_RELEASE]`.

Opens the public tables of the published warehouse with `release.public.open_public_with_report`
(the audit of sdmi.toml), against the earlier release when one is given, and prints what it hid.
"""

import json
import sys
from pathlib import Path

from sdmi_pipeline.release.public import open_public_with_report


def main() -> None:
    warehouse = Path(sys.argv[1])
    earlier = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    _, report = open_public_with_report(warehouse, None, earlier)
    print(json.dumps(report.as_dict()))


if __name__ == "__main__":
    main()
