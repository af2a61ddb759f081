"""The noise every answer's edge uses, as one FastAPI dependency for the API and the pages.

The node's noise is OpenDP's, never seeded; tests override ``answer_noise`` only, so an
answer asked through a page and through the API is noised by the same source.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from laborcommons.answers.noise import OpenDPNoise
from laborcommons.answers.spec import NoiseSource


def answer_noise() -> NoiseSource:
    """The node's noise (OpenDP, never seeded); tests override this dependency only."""
    return OpenDPNoise()


NoiseDep = Annotated[NoiseSource, Depends(answer_noise)]
