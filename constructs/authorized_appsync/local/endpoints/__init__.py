"""The API over the network: ``POST /graphql`` and the real-time WebSocket endpoint. See
../README.md."""
