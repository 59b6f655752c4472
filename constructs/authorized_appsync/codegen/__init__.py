"""Stage 4: artifacts. Plain data, no CDK: the AppSync schema SDL, table specs, the
resolver plans and code, IAM policy documents. Cannot fail on a planned schema."""
