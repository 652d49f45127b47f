from volunteer_fixtures import geo, team_of, volunteer  # noqa: F401  (fixtures)
