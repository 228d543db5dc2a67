"""The words that mark every output built on synthetic figures.

A module of their own: ``ktt report``'s process titles a synthetic report's page with them,
and ``ktt.inputs.example``, which builds the example, imports SciPy's special functions
(about 0.17 s more in that process, while its kernel imports).
"""

BANNER = {
    "en": "SYNTHETIC EXAMPLE — not the district's record",
    "vi": "VÍ DỤ GIẢ LẬP — không phải số liệu thực của huyện",
}
"""First line of every output built on synthetic data."""
