"""LaborCommons: a data node for labor-rights and supply-chain data."""

__version__ = "0.1.0"
