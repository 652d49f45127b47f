import sys
from pathlib import Path

# The volunteer fixtures live beside the volunteer tests; privacy tests need the same people.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "volunteers"))

from volunteer_fixtures import geo, team_of, volunteer  # noqa: F401  (fixtures)
