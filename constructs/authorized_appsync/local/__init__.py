"""The local runtime: runs what was synthesized (the cloud assembly's schema, resolvers,
data sources and authorization config) on this machine, with AppSync's behaviour.

- ``assembly``: the template read back (intrinsics evaluated to local stand-ins).
- ``engine``: GraphQL execution with AppSync's auth directives, unit and pipeline
  APPSYNC_JS resolvers (``jsrun``: a persistent node host with the ``@aws-appsync/utils``
  shim) and data sources (``dynamodb``: request objects executed with boto3).
- ``identity*``: credentials verified as AppSync verifies them (API keys, user-pool and
  OIDC JWTs, SigV4, the Lambda authorizer), with AppSync's 401/403 answers.
- ``app``: ``LocalAppSync`` for pytest; ``server``: ``POST /graphql`` over HTTP.
"""
