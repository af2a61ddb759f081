"""Evidence: shared metrics, answers from every source about an entity, verification,
and triangulation (a consensus, the spread, and which sources deviate)."""
