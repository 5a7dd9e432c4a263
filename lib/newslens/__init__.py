"""newslens — a research workbench for media analysis.

>>> import newslens
>>> newslens.__version__
'0.1.0'
"""

__version__ = "0.1.0"
