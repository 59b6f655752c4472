"""GraphQL subscriptions as AppSync runs them: subscribe, publish, filter, invalidate. See
../README.md."""
