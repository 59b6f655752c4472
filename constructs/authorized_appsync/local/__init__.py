"""The local runtime: runs what was synthesized (the cloud assembly's schema, resolvers,
data sources and authorization config) on this machine, with AppSync's behaviour.

Pieces so far: the node host for APPSYNC_JS code (``jsrun``), the DynamoDB data source
(``dynamodb``) and credential verification (``identity``). The assembly loader, GraphQL
execution, ``LocalAppSync`` and the HTTP server come next (issue 4)."""
