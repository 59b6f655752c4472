"""The template's Lambda functions run in this process: data sources, direct resolvers and
the Lambda authorizer. See ../README.md."""
