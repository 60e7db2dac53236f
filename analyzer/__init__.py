"""Contract-clause analyzer for after-sales service: extract, find service duties, check requirements."""

from analyzer.api import analyze
from analyzer.errors import BadInputError
from analyzer.extract import extract
from analyzer.segment import segment

__all__ = ["analyze", "extract", "segment", "BadInputError"]
__version__ = "0.1.0"
