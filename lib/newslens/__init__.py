"""newslens — a research workbench for media analysis.

>>> import newslens
>>> newslens.__version__
'0.1.0'
"""

from newslens.corpus import load_corpus

__version__ = "0.1.0"
__all__ = ["__version__", "load_corpus"]
