"""The generator: from a policy's YAML to its site, its live checker and its leaflets (README, "Layout").

Its stages, in the order the data flows, are folders: source/, live_checker/, pages/, leaflets/, mkdocs/.
"""

from pathlib import Path

# The folder holding generator/ and checker/: the project's checkout, or site-packages once installed.
CHECKOUT = Path(__file__).resolve().parent.parent
