"""The AppSync schema SDL codegen renders (README.md of codegen/)."""
