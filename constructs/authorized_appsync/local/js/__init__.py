"""The node host that runs APPSYNC_JS handlers with a local ``@aws-appsync/utils`` shim. See
../README.md."""
