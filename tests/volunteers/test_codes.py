"""The profile offers exactly the codes the matching engine accepts, so every saved profile
can be handed to the engine without a parse error."""

from marketplace.matching import problem as engine_problem
from marketplace.volunteers import codes


def test_profile_vocabularies_are_the_engines():
    assert set(codes.SKILLS) == engine_problem.SKILLS
    assert set(codes.LANGUAGES) == engine_problem.LANGUAGES
    assert set(codes.SLOTS) == engine_problem.SLOTS
    assert len(codes.SLOTS) == 14
