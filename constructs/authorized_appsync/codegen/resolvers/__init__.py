"""The resolvers codegen renders: plans, pipelines, bundled code (README.md of codegen/)."""
