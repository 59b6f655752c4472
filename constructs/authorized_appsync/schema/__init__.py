"""Stages 1 and 2: schema sources (SDL, Python DSL) to a validated, frozen model. See
README.md."""
