"""Stage 4: artifacts, as plain data (no CDK): the AppSync schema, table specs, resolvers
and their code, the identity-pool roles' policy resources. See README.md."""
