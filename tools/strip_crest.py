"""Remove GOV.UK's crest (reserved for GOV.UK) from the compiled GOV.UK Frontend stylesheet.

Usage: python tools/strip_crest.py CSS_FILE  (run by `make assets`)
"""

import re
import sys

path = sys.argv[1]
css = open(path, encoding="utf-8").read()
# Drop every rule that references the crest image, including the @supports block around one.
css = re.sub(r"@supports\([^{]*\)\{[^{}]*\{[^{}]*govuk-crest[^{}]*\}\}", "", css)
css = re.sub(r"[^{}]*\{[^{}]*govuk-crest[^{}]*\}", "", css)
assert "govuk-crest" not in css, "crest still referenced"
open(path, "w", encoding="utf-8").write(css)
